import { phaseProgress, phaseUnit } from '../../../src-shared/job-phases.ts'
import { TagsmithError } from '../../core/errors.ts'
import { ProgressMeter } from '../../core/jobs/progress-meter.ts'
import { trainProject } from '../../core/jobs/train-project.ts'
import { DEFAULT_TRAIN_CONFIG } from '../../core/ml/train.ts'
import { trainConfigOf } from '../../core/ml/train-config.ts'
import { parseCommandArgs, type CliCommand } from '../command.ts'
import { givenOptions, numberText, requestInput } from '../request-input.ts'
import { cliUser, onProject, STORE_HELP, STORE_OPTIONS, storeLocation, USER_OPTIONS } from '../store-option.ts'

export const command: CliCommand = {
  help: `Usage: tagsmith train <project> [--preset ID | --backbone ID|DIR] [--layers A,B] [--engine NAME] [--epochs N] [--lr X]
                      [--batch N] [--l2 X] [--class-weights] [--hidden N] [--dropout X]
                      [--patience N] [--early-stopping | --no-early-stopping] [--seed N] [--user NAME] [--json]
       tagsmith train --store URL|FILE [options]

Extracts backbone features for images not cached yet, trains a sigmoid head on the train split,
validates on the val split (or a stratified fifth of train when there is none) and stores the run.
On a team store it trains on the labels as committed when it starts (a copy in a temp file) and then
stores the run, its predictions and the features it extracted in the database.

  --preset ID        features and head settings in one: default (MobileNetV2 taps + colour statistics,
                     hidden layer) or accurate (adds InceptionV3; slower extraction). Default: default
  --backbone ID|DIR  train on one backbone cut alone instead: a catalog id, or a folder with a TF.js
                     model.json
  --layers A,B       feature layers to pool and concatenate (custom folders; experiments)
  --engine NAME      feature extraction engine: onnx, tfjs (the fastest TF.js backend), tfjs-node, wasm
                     or cpu (default: TAGSMITH_ENGINE, else the fastest that works here)
  --epochs N         default ${DEFAULT_TRAIN_CONFIG.epochs}
  --lr X             Adam learning rate, default ${DEFAULT_TRAIN_CONFIG.learningRate}
  --batch N          default ${DEFAULT_TRAIN_CONFIG.batchSize}
  --l2 X             L2 penalty on the weights, default ${DEFAULT_TRAIN_CONFIG.l2}
  --class-weights    weight positives by label rarity (pos_weight = negatives / positives)
  --hidden N         units of a hidden ReLU layer in the head; 0 = a linear head. Default ${DEFAULT_TRAIN_CONFIG.hiddenUnits}
  --dropout X        share of hidden units dropped in each training step, default ${DEFAULT_TRAIN_CONFIG.dropout}
  --early-stopping   stop once the validation loss has not fallen for --patience epochs and keep the
                     best epoch's weights (default: off)
  --patience N       default ${DEFAULT_TRAIN_CONFIG.patience}
  --no-early-stopping  train every epoch and keep the last (the default)

The defaults above are the engine's, for --backbone; a preset brings the head settings it was measured
with (resources/backbones.json; README lists them). Options given win over both.
  --seed N           default ${DEFAULT_TRAIN_CONFIG.seed}; same seed, same numbers
${STORE_HELP}
  --user NAME        who the run is recorded for (default: this computer's account name)
  --json             one JSON line per epoch, then the result as JSON
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      preset: { type: 'string' },
      backbone: { type: 'string' },
      layers: { type: 'string' },
      engine: { type: 'string' },
      epochs: { type: 'string' },
      lr: { type: 'string' },
      batch: { type: 'string' },
      l2: { type: 'string' },
      'class-weights': { type: 'boolean' },
      hidden: { type: 'string' },
      dropout: { type: 'string' },
      patience: { type: 'string' },
      'early-stopping': { type: 'boolean' },
      'no-early-stopping': { type: 'boolean' },
      seed: { type: 'string' },
      'cache-dir': { type: 'string' },
      json: { type: 'boolean' },
      ...STORE_OPTIONS,
      ...USER_OPTIONS,
    })
    if (values['early-stopping'] && values['no-early-stopping']) throw new TagsmithError('BAD_INPUT', 'give --early-stopping or --no-early-stopping, not both')
    const [file, ...rest] = positionals
    const location = storeLocation(file, values.store)
    if (location === undefined || rest.length > 0) throw new TagsmithError('BAD_INPUT', 'give exactly one project file')
    const author = cliUser(values.user)
    const settings = requestInput(
      'train:start',
      {
        preset: values.preset,
        backbone: values.backbone,
        epochs: numberText(values.epochs),
        learningRate: numberText(values.lr),
        batchSize: numberText(values.batch),
        seed: numberText(values.seed),
        l2: numberText(values.l2),
        classWeighting: values['class-weights'],
        hiddenUnits: numberText(values.hidden),
        dropout: numberText(values.dropout),
        patience: numberText(values.patience),
        earlyStopping: values['no-early-stopping'] ? false : values['early-stopping'] ? true : undefined,
        // 'tfjs' (the fastest TF.js engine) is the CLI's own shorthand; the app names an engine.
        engine: values.engine === 'tfjs' ? undefined : values.engine,
      },
      givenOptions(values, { preset: 'preset', backbone: 'backbone', epochs: 'epochs', learningRate: 'lr', batchSize: 'batch', seed: 'seed', l2: 'l2', hiddenUnits: 'hidden', dropout: 'dropout', patience: 'patience', engine: 'engine' }),
    )
    const config = trainConfigOf(settings)
    const layers = values.layers?.split(',').map((s) => s.trim()).filter(Boolean)

    const abort = new AbortController()
    const onSigint = (): void => abort.abort()
    process.once('SIGINT', onSigint)
    try {
      let lastPhase = ''
      const meter = new ProgressMeter()
      const job = await onProject(location, (project) => trainProject(project, {
        preset: settings.preset,
        backbone: settings.backbone,
        layers,
        engine: values.engine,
        config,
        cacheDir: values['cache-dir'],
        author,
        signal: abort.signal,
        onProgress: (p) => {
          if (values.json || !io.interactive) return
          if (p.phase !== lastPhase && lastPhase) io.err('\n')
          lastPhase = p.phase
          const measured = meter.measure(p)
          const rate = measured.rate ? `, ${measured.rate.toFixed(1)} ${phaseUnit(p.phase) || 'steps'}/s` : ''
          const eta = measured.etaSeconds ? `, ${Math.ceil(measured.etaSeconds)} s left` : ''
          io.err(`\r${phaseProgress(p)}${rate}${eta}   `)
        },
        onEpoch: (e) => {
          if (values.json) io.out(`${JSON.stringify({ event: 'epoch', ...e })}\n`)
          else io.out(`epoch ${String(e.epoch).padStart(3)}  loss ${e.loss.toFixed(4)}  val loss ${shown(e.valLoss, 1, 4)}  val exact ${shown(e.valExactMatch, 100, 1)}%  ${e.seconds.toFixed(2)} s\n`)
        },
      }))
      const outcome = job.result
      if (lastPhase && io.interactive && !values.json) io.err('\n')
      const { perLabel: _perLabel, ...headline } = outcome.metrics
      const result = {
        runId: job.runId(outcome.runId),
        author,
        backend: outcome.backend,
        device: outcome.device,
        engine: outcome.engine,
        backbone: outcome.backbone,
        timings: outcome.timings,
        rows: outcome.rows,
        bestEpoch: outcome.bestEpoch,
        extraction: { ...outcome.extraction, skipped: outcome.extraction.skipped.length },
        predictions: outcome.predictions,
        validation: values.json ? outcome.metrics : headline,
        ...(job.teamStore ? { teamStore: job.teamStore } : {}),
      }
      io.out(`${JSON.stringify(result, null, values.json ? undefined : 2)}\n`)
      if (!values.json && outcome.extraction.skipped.length > 0) {
        io.err(`skipped ${outcome.extraction.skipped.length} unreadable images:\n`)
        for (const s of outcome.extraction.skipped.slice(0, 20)) io.err(`  ${s.absPath}: ${s.reason}\n`)
      }
      return 0
    } finally {
      process.off('SIGINT', onSigint)
    }
  },
}

/** A validation figure scaled and fixed; null (no validation rows) prints as NaN, as it always has. */
function shown(v: number | null, scale: number, digits: number): string {
  return v === null ? 'NaN' : (scale * v).toFixed(digits)
}
