import { Project, SPLITS, type DatasetStats } from '../../core/dataset/project.ts'
import { TagsmithError } from '../../core/errors.ts'
import { json, parseCommandArgs, type CliCommand } from '../command.ts'

export const command: CliCommand = {
  help: `Usage: tagsmith stats <project> [--json]

Positive counts per label and split, and label co-occurrence (images where both are 1).

  --json   print {"labels","perSplit","cooccurrence"}
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' } })
    const [file, ...rest] = positionals
    if (file === undefined || rest.length > 0) throw new TagsmithError('BAD_INPUT', 'give exactly one project file')
    const project = Project.open(file)
    try {
      const stats = project.stats()
      io.out(values.json ? json(stats) : formatStats(stats))
      return 0
    } finally {
      project.close()
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
