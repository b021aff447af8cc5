import { TagsmithError } from '../../core/errors.ts'
import { computeRunPredictions } from '../../core/jobs/compute-predictions.ts'
import { getPredictions } from '../../core/ml/run-predictions.ts'
import { getRun } from '../../core/ml/runs.ts'
import { suspectQueue } from '../../core/quality/queues.ts'
import type { Suspect } from '../../../src-preload/contract.ts'
import { json, parseCommandArgs, type CliCommand } from '../command.ts'
import { givenOptions, numberText, requestInput } from '../request-input.ts'
import { onProject, STORE_HELP, STORE_OPTIONS, storeLocation } from '../store-option.ts'

const DEFAULT_TOP = 50

export const command: CliCommand = {
  help: `Usage: tagsmith issues <project> [--run ID] [--top N] [--json]
       tagsmith issues --store URL|FILE [options]

Ranks the images whose stored labels a trained run (default: the latest) most disagrees with. A pair
(image, label) is a suspect when the run's decision at its threshold differs from the stored 0/1; its
score is the distance from the threshold in logits, divided by the label's usual distance, so labels
compare. Probabilities are out of sample: training rows are scored by heads that did not train on them.
Each image is listed once, by its worst pair. Pairs reviewed in the app stay out while their cell keeps
the value the review left.

  --run ID   a stored run (default: the latest)
  --top N    the N most suspect images (default ${DEFAULT_TOP})
${STORE_HELP}
  --json     print an array of {"image","label","stored","probability","score"}, most suspect first;
             "image" is the path as written in the CSV
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      run: { type: 'string' },
      top: { type: 'string' },
      json: { type: 'boolean' },
      ...STORE_OPTIONS,
    })
    const [file, ...rest] = positionals
    const location = storeLocation(file, values.store)
    if (location === undefined || rest.length > 0) throw new TagsmithError('BAD_INPUT', 'give exactly one project file')
    const input = { runId: numberText(values.run), limit: numberText(values.top) }
    const { runId, limit: top = DEFAULT_TOP } = requestInput('quality:suspects', input, givenOptions(values, { runId: 'run', limit: 'top' }))
    // On a team store, probabilities computed here for an old run are written back with it.
    const { result } = await onProject(location, async (project) => {
      const run = getRun(project.db, runId)
      let predictions = getPredictions(project.db, run.id, run.labels.length)
      if (!predictions) {
        // A run stored before predictions were kept with runs: score every image once, then keep them.
        io.err(`run ${run.id} has no stored probabilities: computing them\n`)
        predictions = await computeRunPredictions(project, run)
      }
      return { run, queue: suspectQueue(project, run, predictions, { limit: top }) }
    })
    const { run, queue } = result
    if (values.json) {
      io.out(json(queue.suspects.map((s) => ({ image: s.image, label: s.label, stored: s.stored, probability: round(s.probability, 6), score: round(s.score, 4) }))))
    } else {
      io.out(table(run.id, queue.total, queue.suspects))
    }
    return 0
  },
}

const round = (v: number, digits: number): number => Number(v.toFixed(digits))

function table(runId: number, total: number, suspects: Suspect[]): string {
  if (suspects.length === 0) return `run ${runId}: no suspect labels: the model agrees with every stored label it has a probability for\n`
  const width = Math.max(5, ...suspects.map((s) => s.label.length))
  const lines = [
    `run ${runId}: ${total} image${total === 1 ? '' : 's'} with a suspect label; the ${suspects.length} most suspect`,
    '',
    `${'rank'.padStart(5)}  ${'score'.padStart(6)}  ${'label'.padEnd(width)}  stored  model  ${'p'.padStart(6)}  image`,
    ...suspects.map(
      (s, i) =>
        `${String(i + 1).padStart(5)}  ${s.score.toFixed(2).padStart(6)}  ${s.label.padEnd(width)}  ${String(s.stored).padStart(6)}  ${String(1 - s.stored).padStart(5)}  ${s.probability.toFixed(4)}  ${s.image}`,
    ),
  ]
  return `${lines.join('\n')}\n`
}
