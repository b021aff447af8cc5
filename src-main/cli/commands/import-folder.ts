// `tagsmith import --folder DIR`: a new project from a folder of images, without a CSV.
import type { FolderImportReport } from '../../../src-preload/contract.ts'
import { importFolder, type FolderProgress } from '../../core/dataset/folder-import.ts'
import { TagsmithError } from '../../core/errors.ts'
import { ProgressMeter } from '../../core/jobs/progress-meter.ts'
import { phaseProgress } from '../../../src-shared/job-phases.ts'
import { json, parseCommandArgs, type CliIO } from '../command.ts'
import { copyIntoTeamStore, importTarget, withReplaceHint, type ImportTarget } from '../import-target.ts'
import { givenOptions, numberText, requestInput, type FieldSources } from '../request-input.ts'

const SHOWN = 20

export const FOLDER_HELP = `
Usage: tagsmith import --folder DIR [--labels a,b,c] [--labels-from-folders [SEP]]
         [--split train|val|test | --split-ratio 0.7,0.15,0.15 [--seed N] | --split-from-folders]
         [--project FILE | --store URL] [--replace] [--json]

Makes a new project from the images in DIR and every folder below it (jpg, jpeg, png, webp, gif,
tif, tiff, avif), in path order. Files that are not images, empty, cut off or unreadable, and links
that leave DIR, are skipped and listed. Images with the same content are kept, each as a row, and
listed. Exporting the project writes train.csv, val.csv and test.csv (the splits present) into DIR:
a pandas index column, image (path relative to DIR), one 0/1 column per label.

  --folder DIR                 the folder of images
  --labels a,b,c               label columns to create; without labels from folders every cell is empty
  --labels-from-folders [SEP]  each image's folder names its label (cats/x.jpg -> cats), or with SEP
                               several (black_dress/x.jpg with _ -> black, dress); other labels are 0
  --split S                    every image in split S
  --split-ratio T,V[,X]        a split stratified by label set, seeded (default 0.8,0.2: train and val)
  --seed N                     the split's seed (default 42)
  --split-from-folders         the top-level train/, val/ and test/ folders are the splits
  --project FILE               project file to create (default: DIR/dataset.tagsmith)
  --store URL                  a team store's postgresql:// URL to import into instead (an empty
                               database, or --replace), or a project file as --project
  --replace                    replace an existing project file
  --json                       print the CSV import's summary, with dir, skippedCount and duplicateCount
`

/** `--labels-from-folders SEP`: the separator is the next word unless it is another option. */
function takeSeparator(args: string[]): { args: string[]; fromFolders: boolean; separator: string | undefined } {
  const rest: string[] = []
  let fromFolders = false
  let separator: string | undefined
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string
    if (arg.startsWith('--labels-from-folders=')) {
      fromFolders = true
      separator = arg.slice('--labels-from-folders='.length)
    } else if (arg === '--labels-from-folders') {
      fromFolders = true
      const next = args[i + 1]
      if (next !== undefined && !next.startsWith('--')) {
        separator = next
        i++
      }
    } else rest.push(arg)
  }
  return { args: rest, fromFolders, separator }
}

export async function runFolderImport(argv: string[], io: CliIO): Promise<number> {
  const taken = takeSeparator(argv)
  const { values, positionals } = parseCommandArgs(taken.args, {
    folder: { type: 'string' },
    labels: { type: 'string' },
    split: { type: 'string' },
    'split-ratio': { type: 'string' },
    seed: { type: 'string' },
    'split-from-folders': { type: 'boolean' },
    project: { type: 'string' },
    store: { type: 'string' },
    replace: { type: 'boolean' },
    json: { type: 'boolean' },
  })
  if (positionals.length > 0) throw new TagsmithError('BAD_INPUT', `--folder imports a folder, not CSV files (${positionals.join(' ')}); give one or the other`)
  const target = importTarget(values)
  try {
    return await importFolderInto(values, taken, io, target)
  } finally {
    target.dispose()
  }
}

async function importFolderInto(
  values: {
    folder?: string
    labels?: string
    split?: string
    'split-ratio'?: string
    seed?: string
    'split-from-folders'?: boolean
    project?: string
    replace?: boolean
    json?: boolean
  },
  taken: ReturnType<typeof takeSeparator>,
  io: CliIO,
  target: ImportTarget,
): Promise<number> {
  const chosen = ['split', 'split-ratio', 'split-from-folders'].filter((k) => values[k as keyof typeof values] !== undefined)
  if (chosen.length > 1) throw new TagsmithError('BAD_INPUT', `choose one of --split, --split-ratio and --split-from-folders (given: ${chosen.map((c) => `--${c}`).join(', ')})`)
  if (values.seed !== undefined && (values.split !== undefined || values['split-from-folders'])) {
    throw new TagsmithError('BAD_INPUT', '--seed goes with a split ratio, not with --split or --split-from-folders')
  }
  const from: FieldSources = givenOptions(values, { dir: 'folder', projectFile: 'project', 'split.split': 'split', 'split.seed': 'seed' })
  if (values.labels !== undefined) from.labels = { option: '--labels', text: values.labels }
  if (values['split-ratio'] !== undefined) from['split.ratio'] = { option: '--split-ratio', text: values['split-ratio'] }
  if (taken.separator !== undefined) from.separator = { option: '--labels-from-folders', text: taken.separator }
  let split: Record<string, unknown> | undefined
  if (values.split !== undefined) split = { kind: 'all', split: values.split }
  else if (values['split-from-folders']) split = { kind: 'folders' }
  else if (values['split-ratio'] !== undefined || values.seed !== undefined) {
    const parts = values['split-ratio']?.split(',').map((t) => numberText(t)) ?? [0.8, 0.2]
    split = { kind: 'ratio', ratio: parts.length === 2 ? [...parts, 0] : parts, seed: numberText(values.seed) }
    if (split.seed === undefined) delete split.seed
  }
  const input = requestInput(
    'project:importFolder',
    {
      dir: values.folder,
      labels: values.labels?.split(',').map((l) => l.trim()),
      labelsFromFolders: taken.fromFolders || undefined,
      separator: taken.separator,
      split,
      projectFile: target.projectFile,
    },
    from,
  )
  const abort = new AbortController()
  const onSigint = (): void => abort.abort()
  process.once('SIGINT', onSigint)
  try {
    const { report } = await importFolder({
      ...input,
      replace: target.teamUrl === undefined ? (values.replace ?? false) : false,
      signal: abort.signal,
      onProgress: io.interactive && !values.json ? progressLine(io) : undefined,
    })
    if (target.teamUrl !== undefined) {
      report.project = await copyIntoTeamStore(report.project, target.teamUrl, values.replace ?? false)
    }
    if (io.interactive && !values.json) io.err('\n')
    if (values.json) {
      const { flagged: _flagged, skipped: _skipped, duplicates: _duplicates, ...summary } = report
      io.out(json(summary))
    } else io.out(describe(report))
    return 0
  } catch (err) {
    throw withReplaceHint(err)
  } finally {
    process.off('SIGINT', onSigint)
  }
}

/** One line on stderr, redrawn: the phase with its count, the rate and the time left. */
function progressLine(io: CliIO): (p: FolderProgress) => void {
  const meter = new ProgressMeter()
  return (p) => {
    const { rate, etaSeconds } = meter.measure(p)
    const count = p.total > 0 ? phaseProgress(p) : `${phaseProgress(p)} ${p.done.toLocaleString('en')} files`
    const speed = rate > 0 ? ` · ${Math.round(rate)}/s` : ''
    const left = etaSeconds !== null && p.total > 0 ? ` · ${Math.ceil(etaSeconds)} s left` : ''
    io.err(`\r${count}${speed}${left}\x1b[K`)
  }
}

function describe(report: FolderImportReport): string {
  const lines = [
    `Imported ${report.rows} images from ${report.dir} into ${report.project}`,
    `Labels (${report.labels.length}): ${report.labels.join(', ')}`,
    `Splits: train ${report.splits.train}, val ${report.splits.val}, test ${report.splits.test}`,
    `Skipped: ${report.skippedCount} file${report.skippedCount === 1 ? '' : 's'}`,
    ...report.skipped.slice(0, SHOWN).map((s) => `  ${s.path} (${s.reason})`),
  ]
  if (report.skippedCount > SHOWN) lines.push(`  ... and ${report.skippedCount - SHOWN} more`)
  lines.push(`Same content: ${report.duplicateCount} group${report.duplicateCount === 1 ? '' : 's'} of images, each image kept as a row`)
  for (const group of report.duplicates.slice(0, SHOWN)) lines.push(`  ${group.join(' = ')}`)
  if (report.duplicateCount > SHOWN) lines.push(`  ... and ${report.duplicateCount - SHOWN} more`)
  return `${lines.join('\n')}\n`
}
