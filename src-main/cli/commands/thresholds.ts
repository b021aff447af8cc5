import { TagsmithError } from '../../core/errors.ts'
import { runPredictions } from '../../core/jobs/compute-predictions.ts'
import { setThresholds, tuneRunThresholds } from '../../core/ml/run-thresholds.ts'
import { getRun } from '../../core/ml/runs.ts'
import { json, parseCommandArgs, type CliCommand } from '../command.ts'
import { givenOptions, numberText, requestInput, runIdOption, type FieldSources } from '../request-input.ts'
import { openFileProject } from '../store-option.ts'

export const command: CliCommand = {
  help: `Usage: tagsmith thresholds <project> [--run ID] [--tune f1 | --tune-precision P | --set LABEL=T ...] [--json]

Shows, tunes or sets the per-label thresholds of a trained run (default: the latest). Evaluation,
predictions and exported models use the run's current thresholds. Tuning uses the run's validation
rows (probabilities stored with the run, labels as they are now).

  --tune f1            per label, the threshold that maximises F1 on the validation rows
  --tune-precision P   per label, the lowest threshold reaching precision P (0 < P <= 1), or the
                       best precision the label can reach
  --set LABEL=T        set one label's threshold (repeatable); the others keep theirs
  --json               print {"runId","thresholds":{label:value},"tuned":{label:value}|null}
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      run: { type: 'string' },
      tune: { type: 'string' },
      'tune-precision': { type: 'string' },
      set: { type: 'string', multiple: true },
      json: { type: 'boolean' },
    })
    const [file, ...rest] = positionals
    if (file === undefined || rest.length > 0) throw new TagsmithError('BAD_INPUT', 'give exactly one project file')
    const actions = [values.tune, values['tune-precision'], values.set].filter((v) => v !== undefined).length
    if (actions > 1) throw new TagsmithError('BAD_INPUT', 'give one of --tune, --tune-precision or --set')
    if (values.tune !== undefined && values.tune !== 'f1') throw new TagsmithError('BAD_INPUT', `--tune: expected f1, got ${JSON.stringify(values.tune)}`)
    const precisionText = values['tune-precision']
    const runIdArg = runIdOption(values.run)
    const project = openFileProject(file, 'thresholds')
    try {
      const run = getRun(project.db, runIdArg)
      const tune =
        values.tune === 'f1'
          ? { runId: run.id, target: 'f1' }
          : precisionText === undefined
            ? null
            : { runId: run.id, target: 'precision', precision: numberText(precisionText) }
      if (tune) {
        const { runId: _runId, ...target } = requestInput('thresholds:tune', tune, givenOptions(values, { precision: 'tune-precision' }))
        await runPredictions(project, run)
        tuneRunThresholds(project, run.id, target)
      }
      if (values.set) {
        const next = [...(run.thresholds ?? run.labels.map(() => 0.5))]
        const sources: FieldSources = {}
        for (const item of values.set) {
          const [label = '', text = ''] = item.split('=')
          const j = run.labels.indexOf(label)
          if (j === -1) throw new TagsmithError('BAD_INPUT', `--set ${item}: run ${run.id} has no label ${JSON.stringify(label)}`)
          next[j] = numberText(text) ?? Number.NaN
          sources[`thresholds.${j}`] = { option: '--set', text: item }
        }
        setThresholds(project, run.id, requestInput('thresholds:set', { runId: run.id, thresholds: next }, sources).thresholds)
      }
      const now = getRun(project.db, run.id)
      const byLabel = (t: number[] | null): Record<string, number> | null => (t ? Object.fromEntries(now.labels.map((l, j) => [l, t[j] ?? 0.5])) : null)
      const thresholds = byLabel(now.thresholds ?? now.labels.map(() => 0.5)) ?? {}
      if (values.json) io.out(json({ runId: now.id, thresholds, tuned: byLabel(now.tunedThresholds) }))
      else io.out(`run ${now.id}\n${Object.entries(thresholds).map(([l, t]) => `${l.padEnd(14)}${t.toFixed(3)}`).join('\n')}\n`)
      return 0
    } finally {
      project.close()
    }
  },
}
