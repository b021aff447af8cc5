import { SPLITS, type DatasetStats } from '../../core/dataset/project.ts'
import { TagsmithError } from '../../core/errors.ts'
import { openStore } from '../../core/store/open-store.ts'
import { json, parseCommandArgs, type CliCommand } from '../command.ts'
import { STORE_HELP, STORE_OPTIONS, storeLocation } from '../store-option.ts'

export const command: CliCommand = {
  help: `Usage: tagsmith stats <project> [--json]
       tagsmith stats --store URL|FILE [--json]

Positive counts per label and split, and label co-occurrence (images where both are 1).

${STORE_HELP}
  --json             print {"labels","perSplit","cooccurrence"}
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' }, ...STORE_OPTIONS })
    const [file, ...rest] = positionals
    const location = storeLocation(file, values.store)
    if (location === undefined || rest.length > 0) throw new TagsmithError('BAD_INPUT', 'give exactly one project file')
    const store = await openStore(location)
    try {
      const stats = await store.stats()
      io.out(values.json ? json(stats) : formatStats(stats))
      return 0
    } finally {
      await store.close()
    }
  },
}

function formatStats(stats: DatasetStats): string {
  const width = Math.max(6, ...stats.labels.map((l, i) => `${i + 1} ${l}`.length)) + 1
  const cell = (v: string | number): string => String(v).padStart(7)
  const lines = [
    `${'label'.padEnd(width)}${SPLITS.map(cell).join('')}`,
    `${'images'.padEnd(width)}${SPLITS.map((s) => cell(stats.perSplit[s].images)).join('')}`,
    ...stats.labels.map((l) => `${l.padEnd(width)}${SPLITS.map((s) => cell(stats.perSplit[s].counts[l] ?? 0)).join('')}`),
    '',
    'Co-occurrence (all splits):',
    `${''.padEnd(width)}${stats.labels.map((_, i) => cell(i + 1)).join('')}`,
    ...stats.cooccurrence.map(
      (row, i) => `${`${i + 1} ${stats.labels[i] ?? ''}`.padEnd(width)}${row.map(cell).join('')}`,
    ),
  ]
  return `${lines.join('\n')}\n`
}
