import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { Project } from '../../core/dataset/project.ts'
import { TagsmithError } from '../../core/errors.ts'
import { copyFileToPostgres, copyPostgresToFile, type CopyResult } from '../../core/store/copy-project.ts'
import { isPostgresUrl, redactUrl } from '../../core/store/pg-connect.ts'
import { openPostgresStore } from '../../core/store/postgres-store.ts'
import { json, parseCommandArgs, type CliCommand } from '../command.ts'

export const command: CliCommand = {
  help: `Usage: tagsmith migrate <project> --to postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE [--replace] [--json]
       tagsmith migrate postgresql://… --to <project> [--replace] [--json]

Copies a whole project between a project file and a team store's PostgreSQL database: every table and
row (labels, edit history with its authors, features, runs, reviews, users), in one transaction. An empty
database gets the Tagsmith schema. Afterwards both sides are exported to temp folders and compared byte
for byte; a difference fails the command. The password is never printed; PGPASSWORD works as well.

  --to TARGET   the database URL or the project file to write
  --replace     overwrite a database that already holds a project, or an existing file
  --json        print {"from","to","rows","tables","copySeconds","verifySeconds","files","bytes"}
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      to: { type: 'string' },
      replace: { type: 'boolean' },
      json: { type: 'boolean' },
    })
    const [from, ...rest] = positionals
    const to = values.to
    if (from === undefined || rest.length > 0 || to === undefined || to === '') {
      throw new TagsmithError('BAD_INPUT', 'usage: tagsmith migrate <project|postgresql://…> --to <postgresql://…|project>')
    }
    const fromDb = isPostgresUrl(from)
    const toDb = isPostgresUrl(to)
    if (fromDb === toDb) {
      throw new TagsmithError(
        'BAD_INPUT',
        fromDb
          ? `both ${redactUrl(from)} and ${redactUrl(to)} are databases: migrate one to a file, then the file to the other`
          : `neither ${from} nor ${to} is a postgresql:// URL: one side must be a team store's database`,
      )
    }
    const options = { replace: values.replace ?? false }
    let copied: CopyResult
    try {
      copied = fromDb ? await copyPostgresToFile(from, to, options) : await copyFileToPostgres(from, to, options)
    } catch (err) {
      if (err instanceof TagsmithError && err.code === 'CONFLICT') throw new TagsmithError('CONFLICT', `${err.message} (use --replace)`)
      throw err
    }
    const [url, file] = fromDb ? [from, resolve(to)] : [to, resolve(from)]
    const verified = await compareExports(file, url)
    const report = {
      from: fromDb ? redactUrl(from) : resolve(from),
      to: toDb ? redactUrl(to) : resolve(to),
      rows: copied.rows,
      tables: copied.tables,
      copySeconds: round(copied.seconds),
      verifySeconds: round(verified.seconds),
      files: verified.files,
      bytes: verified.bytes,
    }
    io.out(
      values.json
        ? json(report)
        : `Copied ${report.rows} rows (${copied.tables.images ?? 0} images, ${copied.tables.edit_log ?? 0} logged edits) ` +
            `from ${report.from} to ${report.to} in ${report.copySeconds} s.\n` +
            `Exports are identical: ${verified.files.join(', ')} (${verified.bytes} bytes), checked in ${report.verifySeconds} s.\n`,
    )
    return 0
  },
}

const round = (seconds: number): number => Math.round(seconds * 1000) / 1000

/** Exports the file's project and the database's into temp folders and requires the same bytes in each CSV. */
async function compareExports(file: string, url: string): Promise<{ files: string[]; bytes: number; seconds: number }> {
  const started = performance.now()
  const dir = mkdtempSync(join(tmpdir(), 'tagsmith-migrate-'))
  try {
    const project = Project.open(file)
    let fromFile: string[]
    try {
      fromFile = project.exportCsvs(join(dir, 'file'))
    } finally {
      project.close()
    }
    const store = await openPostgresStore(url)
    let fromDb: string[]
    try {
      fromDb = await store.exportCsvs(join(dir, 'database'))
    } finally {
      await store.close()
    }
    const names = fromFile.map((f) => basename(f))
    const differ = names.filter((name, i) => {
      const other = fromDb[i]
      return other === undefined || basename(other) !== name || !readFileSync(fromFile[i] as string).equals(readFileSync(other))
    })
    if (differ.length > 0 || fromDb.length !== fromFile.length) {
      throw new TagsmithError('INTERNAL', `the copy was written but its export differs from the original's (${differ.join(', ') || 'file count'}); do not use it`)
    }
    const bytes = fromFile.reduce((sum, f) => sum + readFileSync(f).length, 0)
    return { files: names, bytes, seconds: (performance.now() - started) / 1000 }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
