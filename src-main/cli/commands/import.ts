import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Project } from '../../core/dataset/project.ts'
import { TagsmithError } from '../../core/errors.ts'
import { isPostgresUrl } from '../../core/store/open-store.ts'
import { json, parseCommandArgs, type CliCommand } from '../command.ts'
import { givenOptions, requestInput } from '../request-input.ts'
import { givenStore, STORE_OPTIONS } from '../store-option.ts'
import { FOLDER_HELP, runFolderImport } from './import-folder.ts'

const SHOWN_FLAGGED = 20

export const command: CliCommand = {
  help: `Usage: tagsmith import <csv>... [--images DIR] [--project FILE | --store URL|FILE] [--replace] [--json]

Reads one or more CSV files with the same label columns (e.g. train.csv val.csv test.csv)
into a new project file, hashing every image. Missing, undecodable and out-of-folder images
are flagged and listed, never dropped.

  --images DIR     folder the image paths resolve against (default: each CSV's folder)
  --project FILE   project file to create (default: dataset.tagsmith beside the first CSV)
  --store URL|FILE a team store's postgresql:// URL to import into (or a project file, as --project);
                   default: the TAGSMITH_STORE environment variable
  --replace        replace an existing project file, or the project a team store holds
  --json           print {"project","rows","labels","splits","missing","corrupt","outside"}
${FOLDER_HELP}`,
  async run(args, io) {
    if (args.some((a) => a === '--folder' || a.startsWith('--folder='))) return runFolderImport(args, io)
    const { values, positionals } = parseCommandArgs(args, {
      images: { type: 'string' },
      project: { type: 'string' },
      replace: { type: 'boolean' },
      json: { type: 'boolean' },
      ...STORE_OPTIONS,
    })
    if (positionals.length === 0) throw new TagsmithError('BAD_INPUT', 'give at least one CSV file')
    if (values.store !== undefined && values.project !== undefined) {
      throw new TagsmithError('BAD_INPUT', `give --project ${JSON.stringify(values.project)} or --store ${JSON.stringify(values.store)}, not both`)
    }
    const store = values.project === undefined ? givenStore(values.store) : undefined
    // Into a team store: imported into a temp project file first, then copied in one transaction.
    const teamUrl = store !== undefined && isPostgresUrl(store) ? store : undefined
    const staging = teamUrl === undefined ? undefined : mkdtempSync(join(tmpdir(), 'tagsmith-import-'))
    const projectFile = staging === undefined ? (values.project ?? store) : join(staging, 'dataset.tagsmith')
    const csvSources = Object.fromEntries(positionals.map((text, i) => [`csvs.${i}`, { option: 'CSV file', text }]))
    const fileSource = values.project === undefined && staging === undefined && store !== undefined ? { projectFile: { option: '--store', text: store } } : {}
    try {
      const input = requestInput(
        'project:import',
        { csvs: positionals, imagesDir: values.images, projectFile },
        { ...csvSources, ...givenOptions(values, { imagesDir: 'images', projectFile: 'project' }), ...fileSource },
      )
      return await importInto(input, values, io, teamUrl)
    } finally {
      if (staging !== undefined) rmSync(staging, { recursive: true, force: true })
    }
  },
}

async function importInto(
  input: Parameters<typeof Project.importCsvs>[0],
  values: { replace?: boolean; json?: boolean },
  io: Parameters<CliCommand['run']>[1],
  teamUrl: string | undefined,
): Promise<number> {
  const abort = new AbortController()
  const onSigint = (): void => abort.abort()
  process.once('SIGINT', onSigint)
  try {
    const { project, report } = await Project.importCsvs({
      ...input,
      replace: teamUrl === undefined ? (values.replace ?? false) : false,
      signal: abort.signal,
      onProgress: io.interactive && !values.json
        ? ({ done, total }) => io.err(`\rindexing images ${done}/${total}`)
        : undefined,
    })
    project.close()
    if (teamUrl !== undefined) {
      const { copyFileToPostgres } = await import('../../core/store/copy-project.ts')
      const { redactUrl } = await import('../../core/store/pg-connect.ts')
      await copyFileToPostgres(project.file, teamUrl, { replace: values.replace ?? false })
      report.project = redactUrl(teamUrl)
    }
    if (io.interactive && !values.json) io.err('\n')
    if (values.json) {
      const { flagged: _flagged, ...summary } = report
      io.out(json(summary))
      return 0
    }
    const lines = [
      `Imported ${report.rows} rows into ${report.project}`,
      `Labels (${report.labels.length}): ${report.labels.join(', ')}`,
      `Splits: train ${report.splits.train}, val ${report.splits.val}, test ${report.splits.test}`,
      `Flagged: ${report.missing} missing, ${report.corrupt} corrupt, ${report.outside} outside the images folder`,
      ...report.flagged.slice(0, SHOWN_FLAGGED).map((f) => `  ${f.source} line ${f.line}: ${f.status} ${f.path} (${f.reason})`),
    ]
    if (report.flagged.length > SHOWN_FLAGGED) lines.push(`  ... and ${report.flagged.length - SHOWN_FLAGGED} more`)
    io.out(`${lines.join('\n')}\n`)
    return 0
  } catch (err) {
    if (err instanceof TagsmithError && err.code === 'CONFLICT') throw new TagsmithError('CONFLICT', `${err.message} (use --replace)`)
    throw err
  } finally {
    process.off('SIGINT', onSigint)
  }
}
