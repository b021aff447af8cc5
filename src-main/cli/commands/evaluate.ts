import { TagsmithError } from '../../core/errors.ts'
import { checkGroups } from '../../core/ml/label-groups.ts'
import { evaluateProject } from '../../core/jobs/evaluate-project.ts'
import type { Metrics } from '../../core/ml/metrics.ts'
import { parseCommandArgs, type CliCommand } from '../command.ts'
import { runIdOption } from '../request-input.ts'
import { getRun } from '../../core/ml/runs.ts'
import { onProject, STORE_HELP, STORE_OPTIONS, storeLocation } from '../store-option.ts'

export const command: CliCommand = {
  help: `Usage: tagsmith evaluate <project> [--split val|test | --csv FILE] [--run ID] [--group A,B,C]... [--json]
       tagsmith evaluate --store URL|FILE [options]

Scores a trained run (default: the latest) on the val or test split, or on the images and labels
of another CSV (paths relative to that CSV's folder). Never on training rows.

  --split val|test   default val
  --csv FILE         a CSV with the same label columns
  --run ID           a stored run (default: the latest)
  --group A,B,C      labels of which exactly one holds, decoded by highest probability
                     (repeatable; default: the project's groups, see \`tagsmith groups\`)
${STORE_HELP}
  --json             print {"n","exactMatch","hammingAccuracy","macroF1","microF1","mAP","perLabel",
                     "thresholds":{label:value},"runId","author"} (author: who trained the run) plus
                     "exactMatchGrouped" and "groups" when groups exist

Decisions use the run's current thresholds (0.5 until tuned or set).
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      split: { type: 'string' },
      csv: { type: 'string' },
      run: { type: 'string' },
      group: { type: 'string', multiple: true },
      'cache-dir': { type: 'string' },
      json: { type: 'boolean' },
      ...STORE_OPTIONS,
    })
    const [file, ...rest] = positionals
    const location = storeLocation(file, values.store)
    if (location === undefined || rest.length > 0) throw new TagsmithError('BAD_INPUT', 'give exactly one project file')
    if (values.split !== undefined && values.split !== 'val' && values.split !== 'test') {
      throw new TagsmithError('BAD_INPUT', `--split: expected val or test, got ${JSON.stringify(values.split)}`)
    }
    if (values.split !== undefined && values.csv !== undefined) throw new TagsmithError('BAD_INPUT', 'give --split or --csv, not both')
    const runId = runIdOption(values.run)
    const groups = values.group?.map((g) => g.split(',').map((s) => s.trim()).filter(Boolean))
    const { result } = await onProject(location, async (project) => {
      if (groups) checkGroups(groups, project.labels())
      const evaluation = await evaluateProject(project, { split: values.split as 'val' | 'test' | undefined, csv: values.csv, runId, groups, cacheDir: values['cache-dir'] })
      return { evaluation, author: getRun(project.db, evaluation.runId).author }
    })
    const { runId: id, skipped, thresholds, groups: used, ...metrics } = result.evaluation
    const labels = Object.keys(metrics.perLabel)
    const byLabel = Object.fromEntries(labels.map((l, j) => [l, thresholds[j] ?? 0.5]))
    if (values.json) io.out(`${JSON.stringify({ ...metrics, thresholds: byLabel, ...(used.length > 0 ? { groups: used } : {}), runId: id, author: result.author })}\n`)
    else io.out(format(metrics, id, skipped, byLabel, used, result.author))
    return 0
  },
}

function pct(v: number): string {
  return `${(100 * v).toFixed(1)}%`.padStart(7)
}

function format(m: Metrics, runId: number, skipped: number, thresholds: Record<string, number>, groups: string[][], author: string | null): string {
  const lines = [
    `run ${runId}${author === null ? '' : ` (trained by ${author})`}, ${m.n} images${skipped ? ` (${skipped} without features skipped)` : ''}`,
    `exact match      ${pct(m.exactMatch)}${m.exactMatchGrouped !== undefined ? `   grouped ${pct(m.exactMatchGrouped)}` : ''}`,
    `hamming accuracy ${pct(m.hammingAccuracy)}`,
    `macro F1 ${pct(m.macroF1)}   micro F1 ${pct(m.microF1)}   mAP ${pct(m.mAP)}`,
    ...(groups.length > 0 ? [`groups           ${groups.map((g) => g.join(',')).join('  ')}`] : []),
    '',
    `${'label'.padEnd(14)}${['thresh', 'prec', 'recall', 'F1', 'AP'].map((h) => h.padStart(7)).join('')}  support`,
    ...Object.entries(m.perLabel).map(
      ([name, l]) => `${name.padEnd(14)}${(thresholds[name] ?? 0.5).toFixed(3).padStart(7)}${pct(l.precision)}${pct(l.recall)}${pct(l.f1)}${pct(l.ap)}  ${l.support}`,
    ),
  ]
  return `${lines.join('\n')}\n`
}
