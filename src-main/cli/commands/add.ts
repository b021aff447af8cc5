import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { addImages, type AddImagesReport } from '../../core/dataset/add-images.ts'
import { TagsmithError } from '../../core/errors.ts'
import { isPostgresUrl } from '../../core/store/open-store.ts'
import { json, parseCommandArgs, type CliCommand } from '../command.ts'
import { givenOptions, requestInput } from '../request-input.ts'
import { cliUser, givenStore, onProjectStep, STORE_OPTIONS, storeLocation, USER_OPTIONS } from '../store-option.ts'

/** Files listed per kind of notice before "… and N more". */
const SHOWN = 20

export const command: CliCommand = {
  help: `Usage: tagsmith add <project> <file|dir>... [--split S] [--csv NAME] [--labels-from-folders [SEP]] [--json]
       tagsmith add --store URL|FILE <file|dir>... [options]

Adds image files to a project as new rows of one CSV, in one undoable step. Folders are searched
recursively; every file must be inside the images folder. New rows' labels start empty; export appends
them to their CSV in its own style, and every existing row stays byte for byte as it was.
Files that are not images, empty or cut off are listed and skipped; content already in the project
(or twice among the files) is reported and not added twice; paths outside the images folder and links
leaving it are refused by name. On a team store (PostgreSQL) the add is one transaction: other writers
wait while the images are read and stored, readers do not.

  --split S                  train, val or test: the new rows' split and CSV (default train)
  --csv NAME                 the CSV file (by name) the rows go into (default: the first of the split;
                             a project made from a folder gets a new <split>.csv when it has none)
  --labels-from-folders [SEP]
                             each image's folder names its labels (split by SEP: black_dress with _);
                             write --labels-from-folders=SEP when SEP is also a file name
  --store URL|FILE           the project: a project file or a team store's postgresql:// URL, instead of
                             the first argument (default: TAGSMITH_STORE, unless the first argument is a
                             postgresql:// URL or a .tagsmith file)
  --user NAME                the author recorded for the step (default: this computer's account name)
  --json                     print {"added","duplicates","skipped","refused","csv","group"}
`,
  async run(args, io) {
    const { args: rest, labelsFromFolders } = takeLabelsFromFolders(args)
    const { values, positionals } = parseCommandArgs(rest, {
      split: { type: 'string' },
      csv: { type: 'string' },
      json: { type: 'boolean' },
      ...STORE_OPTIONS,
      ...USER_OPTIONS,
    })
    const first = positionals[0]
    const namesProject = first !== undefined && (isPostgresUrl(first) || first.endsWith('.tagsmith'))
    const fromStore = values.store !== undefined || (givenStore(undefined) !== undefined && !namesProject)
    const file = storeLocation(fromStore ? undefined : first, values.store)
    const paths = fromStore ? positionals : positionals.slice(1)
    if (file === undefined || paths.length === 0) throw new TagsmithError('BAD_INPUT', 'give the project file and at least one image file or folder')
    const sources = Object.fromEntries(paths.map((text, i) => [`paths.${i}`, { option: 'path', text }]))
    const input = requestInput(
      'images:add',
      { paths: paths.map((p) => resolve(p)), split: values.split, csv: values.csv, labelsFromFolders },
      {
        ...sources,
        ...givenOptions(values, { split: 'split', csv: 'csv' }),
        ...(typeof labelsFromFolders === 'string' ? { labelsFromFolders: { option: '--labels-from-folders', text: labelsFromFolders } } : {}),
      },
    )
    const author = cliUser(values.user)
    const abort = new AbortController()
    const onSigint = (): void => abort.abort()
    process.once('SIGINT', onSigint)
    try {
      const report = await onProjectStep(file, 'images-add', (project) =>
        addImages(project, {
          ...input,
          author,
          signal: abort.signal,
          onProgress: io.interactive && !values.json ? ({ done, total }) => io.err(`\rreading images ${done}/${total}`) : undefined,
        }),
      )
      if (io.interactive && !values.json) io.err('\n')
      io.out(values.json ? json({ ...report, group: report.group?.group ?? null }) : formatReport(report))
      return 0
    } finally {
      process.off('SIGINT', onSigint)
    }
  },
}

/** `--labels-from-folders` with an optional value: `=SEP`, or a next word that is no option and no existing path. */
function takeLabelsFromFolders(args: string[]): { args: string[]; labelsFromFolders: boolean | string | undefined } {
  const out: string[] = []
  let value: boolean | string | undefined
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string
    if (arg.startsWith('--labels-from-folders=')) value = arg.slice('--labels-from-folders='.length)
    else if (arg === '--labels-from-folders') {
      const next = args[i + 1]
      if (next !== undefined && !next.startsWith('--') && !existsSync(next)) {
        value = next
        i++
      } else value = true
    } else out.push(arg)
  }
  return { args: out, labelsFromFolders: value }
}

function formatReport(report: AddImagesReport): string {
  const lines = [`Added ${report.added.length} image${report.added.length === 1 ? '' : 's'} to ${report.csv}${report.group ? ' (one step: undo takes them out)' : ''}`]
  const list = (title: string, items: string[]): void => {
    if (items.length === 0) return
    lines.push(`${title} (${items.length}):`, ...items.slice(0, SHOWN).map((t) => `  ${t}`))
    if (items.length > SHOWN) lines.push(`  ... and ${items.length - SHOWN} more`)
  }
  list('Already in the project', report.duplicates.map((d) => `${d.name} (same content as ${d.existing})`))
  list('Skipped', report.skipped.map((s) => `${s.name}: ${s.reason}`))
  list('Refused', report.refused.map((s) => `${s.name}: ${s.reason}`))
  return `${lines.join('\n')}\n`
}
