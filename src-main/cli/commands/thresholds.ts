import { Project } from '../../core/dataset/project.ts'
import { TagsmithError } from '../../core/errors.ts'
import { runPredictions } from '../../core/jobs/compute-predictions.ts'
import { setThresholds, tuneRunThresholds, type TuneTarget } from '../../core/ml/run-thresholds.ts'
import { getRun } from '../../core/ml/runs.ts'
import { json, parseCommandArgs, type CliCommand } from '../command.ts'

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
    let target: TuneTarget | null = values.tune === 'f1' ? { target: 'f1' } : null
    if (values['tune-precision'] !== undefined) {
      const p = Number(values['tune-precision'])
      if (!(p > 0 && p <= 1)) throw new TagsmithError('BAD_INPUT', `--tune-precision: expected a number in (0, 1], got ${JSON.stringify(values['tune-precision'])}`)
      target = { target: 'precision', precision: p }
    }
    const runIdArg = values.run === undefined ? undefined : Number(values.run)
    if (runIdArg !== undefined && !(Number.isInteger(runIdArg) && runIdArg > 0)) throw new TagsmithError('BAD_INPUT', `--run: bad id ${JSON.stringify(values.run)}`)
    const project = Project.open(file)
    try {
      const run = getRun(project.db, runIdArg)
      if (target) {
        await runPredictions(project, run)
        tuneRunThresholds(project, run.id, target)
      }
      if (values.set) {
        const next = [...(run.thresholds ?? run.labels.map(() => 0.5))]
        for (const item of values.set) {
          const [label = '', text = ''] = item.split('=')
          const j = run.labels.indexOf(label)
          if (j === -1) throw new TagsmithError('BAD_INPUT', `--set ${item}: run ${run.id} has no label ${JSON.stringify(label)}`)
          const t = Number(text)
          if (text === '' || !(t >= 0 && t <= 1)) throw new TagsmithError('BAD_INPUT', `--set ${item}: a threshold is a number from 0 to 1`)
          next[j] = t
        }
        setThresholds(project, run.id, next)
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
