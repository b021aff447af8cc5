import { TagsmithError } from '../errors.ts'
import { buildHead, type HeadWeights } from './head.ts'
import { exactMatch } from './metrics.ts'
import { decide } from './decode.ts'
import { selectRows, type LabelMatrix } from './label-matrix.ts'
import { bceWithLogits, positiveWeights } from './loss.ts'
import { makeRng, shuffleInPlace } from './rng.ts'
import { applyStandardisation, fitStandardisation } from './standardise.ts'
import { tf } from './tf.ts'

export interface TrainConfig {
  epochs: number
  learningRate: number
  batchSize: number
  /** weight of the L2 penalty on the kernel, added to the mean loss */
  l2: number
  /** pos_weight per label from label frequency (negatives / positives) */
  classWeighting: boolean
  seed: number
}

export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  epochs: 40,
  learningRate: 0.01,
  batchSize: 64,
  l2: 0.0001,
  classWeighting: false,
  seed: 42,
}

export interface EpochEvent {
  epoch: number
  loss: number
  valLoss: number
  valExactMatch: number
  seconds: number
}

export interface TrainInput {
  /** raw features, row-major rows x dim */
  x: Float32Array
  dim: number
  labels: LabelMatrix
  trainRows: readonly number[]
  valRows: readonly number[]
}

export interface TrainResult {
  head: HeadWeights
  history: EpochEvent[]
  /** probabilities of the validation rows, in valRows order */
  valProbs: Float32Array
}

/** Refuse overlapping train/val rows: a model is never evaluated on rows it was trained on. */
export function assertDisjoint(trainRows: readonly number[], valRows: readonly number[]): void {
  const train = new Set(trainRows)
  const shared = valRows.filter((r) => train.has(r))
  if (shared.length > 0) throw new TagsmithError('BAD_INPUT', `${shared.length} validation rows are also training rows (first: row ${shared[0]})`)
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

/**
 * Train the linear head on cached features. Standardisation is fitted on the training rows only.
 * Emits one event per epoch; checks `signal` between batches and yields to the event loop at least
 * every 100 ms so a cancel message is seen within a second.
 */
export async function trainHead(
  input: TrainInput,
  config: Partial<TrainConfig> = {},
  opts: { onEpoch?: (e: EpochEvent) => void; signal?: AbortSignal } = {},
): Promise<TrainResult> {
  const cfg: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, ...config }
  const { dim, labels } = input
  const cols = labels.cols
  assertDisjoint(input.trainRows, input.valRows)
  if (input.trainRows.length === 0) throw new TagsmithError('BAD_INPUT', 'no training rows with features')
  if (!(cfg.epochs >= 1 && cfg.batchSize >= 1 && cfg.learningRate > 0)) {
    throw new TagsmithError('BAD_INPUT', `bad training settings: epochs ${cfg.epochs}, batch ${cfg.batchSize}, lr ${cfg.learningRate}`)
  }
  const throwIfCancelled = (): void => {
    if (opts.signal?.aborted) throw new TagsmithError('CANCELLED', 'training cancelled')
  }

  const std = fitStandardisation(input.x, dim, input.trainRows)
  const nTrain = input.trainRows.length
  const nVal = input.valRows.length
  const yTrainM = selectRows(labels, input.trainRows)
  const yValM = selectRows(labels, input.valRows)

  const xTrain = tf.tensor2d(applyStandardisation(input.x, dim, input.trainRows, std), [nTrain, dim])
  const yTrain = tf.tensor2d(yTrainM.values, [nTrain, cols])
  const mTrain = tf.tensor2d(yTrainM.mask, [nTrain, cols])
  const xVal = tf.tensor2d(applyStandardisation(input.x, dim, input.valRows, std), [nVal, dim])
  const yVal = tf.tensor2d(yValM.values, [nVal, cols])
  const mVal = tf.tensor2d(yValM.mask, [nVal, cols])
  const posWeight = cfg.classWeighting ? tf.tensor1d(positiveWeights(yTrainM.values, yTrainM.mask, nTrain, cols)) : undefined
  const model = buildHead({ inputDim: dim, numLabels: cols, seed: cfg.seed })
  const optimizer = tf.train.adam(cfg.learningRate)
  // getWeights() hands back the layer's own variables, so the L2 term below differentiates w.r.t. the kernel.
  const kernel = model.layers[0]?.getWeights()[0]
  if (!kernel) throw new TagsmithError('INTERNAL', 'head has no kernel')
  const lossOpts = (m: tf.Tensor2D): { posWeight?: tf.Tensor1D; mask: tf.Tensor2D } => (posWeight ? { posWeight, mask: m } : { mask: m })

  const rng = makeRng(cfg.seed ^ 0x9e3779b9)
  const order = Array.from({ length: nTrain }, (_, i) => i)
  const history: EpochEvent[] = []
  let lastYield = performance.now()
  try {
    for (let epoch = 1; epoch <= cfg.epochs; epoch++) {
      const started = performance.now()
      shuffleInPlace(order, rng)
      let lossSum = 0
      const batchLosses: tf.Scalar[] = []
      for (let start = 0; start < nTrain; start += cfg.batchSize) {
        throwIfCancelled()
        const idx = order.slice(start, start + cfg.batchSize)
        const batchLoss = tf.tidy(() => {
          const ids = tf.tensor1d(idx, 'int32')
          const xb = tf.gather(xTrain, ids) as tf.Tensor2D
          const yb = tf.gather(yTrain, ids) as tf.Tensor2D
          const mb = tf.gather(mTrain, ids) as tf.Tensor2D
          const cost = optimizer.minimize(() => {
            const logits = model.apply(xb, { training: true }) as tf.Tensor2D
            const bce = bceWithLogits(logits, yb, lossOpts(mb))
            return cfg.l2 > 0 ? tf.add(bce, tf.mul(cfg.l2, tf.sum(tf.square(kernel)))) : bce
          }, true)
          if (!cost) throw new TagsmithError('INTERNAL', 'optimizer returned no loss')
          return tf.mul(cost, idx.length) as tf.Scalar
        })
        batchLosses.push(batchLoss)
        if (performance.now() - lastYield > 100) {
          await yieldToEventLoop()
          lastYield = performance.now()
        }
      }
      // One read per epoch: reading every batch's loss would stall the pipeline.
      const summed = tf.tidy(() => tf.addN(batchLosses))
      lossSum = (await summed.data())[0] as number
      summed.dispose()
      for (const l of batchLosses) l.dispose()
      const { valLoss, valExact } = await evaluateEpoch(model, xVal, yVal, mVal, yValM, nVal, cols, lossOpts)
      const event: EpochEvent = {
        epoch,
        loss: lossSum / nTrain,
        valLoss,
        valExactMatch: valExact,
        seconds: (performance.now() - started) / 1000,
      }
      history.push(event)
      opts.onEpoch?.(event)
      throwIfCancelled()
    }
    const valProbs = nVal === 0 ? new Float32Array(0) : await probabilities(model, xVal)
    const [k, b] = model.layers[0]?.getWeights() ?? []
    if (!k || !b) throw new TagsmithError('INTERNAL', 'head has no weights')
    const head: HeadWeights = {
      dim,
      numLabels: cols,
      mean: std.mean,
      scale: std.scale,
      kernel: (await k.data()) as Float32Array,
      bias: (await b.data()) as Float32Array,
    }
    return { head, history, valProbs }
  } finally {
    tf.dispose([xTrain, yTrain, mTrain, xVal, yVal, mVal])
    if (posWeight) posWeight.dispose()
    optimizer.dispose()
    model.dispose()
  }
}

async function probabilities(model: tf.Sequential, x: tf.Tensor2D): Promise<Float32Array> {
  const p = tf.tidy(() => tf.sigmoid(model.predict(x) as tf.Tensor2D))
  const data = (await p.data()) as Float32Array
  p.dispose()
  return data
}

async function evaluateEpoch(
  model: tf.Sequential,
  xVal: tf.Tensor2D,
  yVal: tf.Tensor2D,
  mVal: tf.Tensor2D,
  yValM: LabelMatrix,
  nVal: number,
  cols: number,
  lossOpts: (m: tf.Tensor2D) => { posWeight?: tf.Tensor1D; mask: tf.Tensor2D },
): Promise<{ valLoss: number; valExact: number }> {
  if (nVal === 0) return { valLoss: Number.NaN, valExact: Number.NaN }
  const [lossT, probsT] = tf.tidy(() => {
    const logits = model.predict(xVal) as tf.Tensor2D
    return [bceWithLogits(logits, yVal, lossOpts(mVal)), tf.sigmoid(logits)]
  })
  const valLoss = (await lossT.data())[0] as number
  const probs = (await probsT.data()) as Float32Array
  tf.dispose([lossT, probsT])
  return { valLoss, valExact: exactMatch(decide(probs, nVal, cols), yValM) }
}
