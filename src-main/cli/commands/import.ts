import { Project } from '../../core/dataset/project.ts'
import { TagsmithError } from '../../core/errors.ts'
import { json, parseCommandArgs, type CliCommand } from '../command.ts'
import { copyIntoTeamStore, importTarget, withReplaceHint } from '../import-target.ts'
import { givenOptions, requestInput } from '../request-input.ts'
import { STORE_OPTIONS } from '../store-option.ts'
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
    const target = importTarget(values)
    const csvSources = Object.fromEntries(positionals.map((text, i) => [`csvs.${i}`, { option: 'CSV file', text }]))
    const fileSource = target.storeFile !== undefined && values.project === undefined ? { projectFile: { option: '--store', text: target.storeFile } } : {}
    try {
      const input = requestInput(
        'project:import',
        { csvs: positionals, imagesDir: values.images, projectFile: target.projectFile },
        { ...csvSources, ...givenOptions(values, { imagesDir: 'images', projectFile: 'project' }), ...fileSource },
      )
      return await importInto(input, values, io, target.teamUrl)
    } finally {
      target.dispose()
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
      report.project = await copyIntoTeamStore(project.file, teamUrl, values.replace ?? false)
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
    throw withReplaceHint(err)
  } finally {
    process.off('SIGINT', onSigint)
  }
}
