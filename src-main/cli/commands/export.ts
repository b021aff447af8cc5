import { TagsmithError } from '../../core/errors.ts'
import { openStore } from '../../core/store/open-store.ts'
import { json, parseCommandArgs, type CliCommand } from '../command.ts'
import { givenOptions, requestInput } from '../request-input.ts'
import { STORE_HELP, STORE_OPTIONS, storeLocation } from '../store-option.ts'

export const command: CliCommand = {
  help: `Usage: tagsmith export <project> [--out DIR] [--force] [--json]
       tagsmith export --store URL|FILE [--out DIR] [--force] [--json]

Writes every source CSV back in the layout it was read in; only edited cells change.

  --out DIR          write into DIR (default: over the original CSV files)
  --force            overwrite original CSVs even if they changed on disk since import or last export
${STORE_HELP}
  --json             print {"files": [...]}
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      out: { type: 'string' },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
      ...STORE_OPTIONS,
    })
    const [file, ...rest] = positionals
    const location = storeLocation(file, values.store)
    if (location === undefined || rest.length > 0) throw new TagsmithError('BAD_INPUT', 'give exactly one project file')
    const { outDir } = requestInput('dataset:export', { outDir: values.out }, givenOptions(values, { outDir: 'out' }))
    const store = await openStore(location)
    try {
      const files = await store.exportCsvs(outDir, { force: values.force ?? false })
      io.out(values.json ? json({ files }) : files.map((f) => `wrote ${f}\n`).join(''))
      return 0
    } catch (err) {
      if (err instanceof TagsmithError && err.code === 'CONFLICT') throw new TagsmithError('CONFLICT', `${err.message} (use --force)`)
      throw err
    } finally {
      await store.close()
    }
  },
}
