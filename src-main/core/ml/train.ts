import type { EpochStats, TrainConfig } from '../../../src-preload/contract.ts'
import { TagsmithError } from '../errors.ts'
import { buildHead, type HeadWeights } from './head.ts'
import { exactMatch } from './metrics.ts'
import { decide } from './decode.ts'
import { selectRows, type LabelMatrix } from './label-matrix.ts'
import { fillDropout, hiddenHeadGrads, hiddenLogits, transposedTimes, type HeadBatch, type HiddenHeadParams } from './hidden-head.ts'
import { bceWithLogits, bceWithLogitsGrad, positiveWeights } from './loss.ts'
import { makeRng, shuffleInPlace } from '../../../src-shared/rng.ts'
import { applyStandardisation, fitStandardisation } from './standardise.ts'
import { tf } from './tf.ts'

// The stored config is the contract's: batchSize 0 = automatic (about 16 steps per epoch, 32 to 1024
// rows), l2 weighs the kernels' penalty added to the mean loss, hiddenUnits 0 = a linear head.
export type { TrainConfig }

export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  epochs: 40,
  learningRate: 0.01,
  batchSize: 0,
  l2: 0.0001,
  classWeighting: false,
  seed: 42,
  hiddenUnits: 0,
  dropout: 0.3,
  // Off by default: restoring the epoch of lowest validation loss cost 1 to 3 points of exact match in
  // cross-validation (the loss bottoms out before accuracy does). The chart marks that epoch either way.
  earlyStopping: false,
  patience: 8,
}

/**
 * One epoch as the contract's EpochStats: a validation figure that is not a number (no validation rows)
 * is null from here on, so storage, the job's messages and the wire all carry the same value.
 */
export type EpochEvent = EpochStats

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
  /** the epoch whose weights the head has (early stopping); null when it has the last epoch's */
  bestEpoch: number | null
}

/** Refuse overlapping train/val rows: a model is never evaluated on rows it was trained on. */
export function assertDisjoint(trainRows: readonly number[], valRows: readonly number[]): void {
  const train = new Set(trainRows)
  const shared = valRows.filter((r) => train.has(r))
  if (shared.length > 0) throw new TagsmithError('BAD_INPUT', `${shared.length} validation rows are also training rows (first: row ${shared[0]})`)
}

/**
 * About 16 Adam steps per epoch whatever the dataset size, rounded to a power of two: 64 for a
 * thousand training rows (where it was tuned), 512 for ten thousand. Per-step overhead, not
 * arithmetic, dominates small batches, so this keeps a warm retrain of a large project fast.
 */
export function autoBatchSize(trainRows: number): number {
  const target = Math.max(1, trainRows / 16)
  return Math.min(1024, Math.max(32, 2 ** Math.round(Math.log2(target))))
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

/** A head being trained: its variables, a forward pass without dropout, and one optimiser step on a batch. */
interface Trainee {
  variables: tf.Variable[]
  forward: (x: tf.Tensor2D) => tf.Tensor2D
  /** one step on the first n rows of the batch buffers; returns the batch's loss times n */
  step: (n: number) => tf.Scalar
  weights: () => Promise<Pick<HeadWeights, 'hidden' | 'kernel' | 'bias'>>
}

interface Batch {
  x: Float32Array
  y: Float32Array
  m: Float32Array
  /** dropout multipliers (rows x hidden units), filled per step */
  keep: Float32Array | null
}

const variableOf = (t: tf.Tensor | undefined): tf.Variable => {
  if (!(t instanceof tf.Variable)) throw new TagsmithError('INTERNAL', 'head has no trainable weights')
  return t
}

/**
 * Train the head on cached features. Standardisation is fitted on the training rows only.
 * Emits one event per epoch; checks `signal` between batches and yields to the event loop at least
 * every 100 ms so a cancel message is seen within a second. With early stopping and validation rows,
 * training stops once the validation loss has not fallen for `patience` epochs, and the head returned
 * is the best epoch's.
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
  if (!(cfg.epochs >= 1 && cfg.batchSize >= 0 && cfg.learningRate > 0 && cfg.hiddenUnits >= 0 && cfg.dropout >= 0 && cfg.dropout < 1 && cfg.patience >= 0)) {
    throw new TagsmithError(
      'BAD_INPUT',
      `bad training settings: epochs ${cfg.epochs}, batch ${cfg.batchSize}, lr ${cfg.learningRate}, hidden ${cfg.hiddenUnits}, dropout ${cfg.dropout}, patience ${cfg.patience}`,
    )
  }
  const throwIfCancelled = (): void => {
    if (opts.signal?.aborted) throw new TagsmithError('CANCELLED', 'training cancelled')
  }

  const std = fitStandardisation(input.x, dim, input.trainRows)
  const nTrain = input.trainRows.length
  const nVal = input.valRows.length
  const batchSize = cfg.batchSize > 0 ? cfg.batchSize : autoBatchSize(nTrain)
  const xTrain = applyStandardisation(input.x, dim, input.trainRows, std)
  const yTrainM = selectRows(labels, input.trainRows)
  const yValM = selectRows(labels, input.valRows)
  const xVal = tf.tensor2d(applyStandardisation(input.x, dim, input.valRows, std), [nVal, dim])
  const yVal = tf.tensor2d(yValM.values, [nVal, cols])
  const mVal = tf.tensor2d(yValM.mask, [nVal, cols])
  const posWeight = cfg.classWeighting ? tf.tensor1d(positiveWeights(yTrainM.values, yTrainM.mask, nTrain, cols)) : undefined
  const units = Math.floor(cfg.hiddenUnits)
  const model = buildHead({ inputDim: dim, numLabels: cols, seed: cfg.seed, hiddenUnits: units })
  const optimizer = tf.train.adam(cfg.learningRate)
  const lossOpts = (m: tf.Tensor2D): { posWeight?: tf.Tensor1D; mask: tf.Tensor2D } => (posWeight ? { posWeight, mask: m } : { mask: m })

  // Batches are assembled in plain arrays: row copies are far cheaper than a gather on the WASM backend.
  const batch: Batch = {
    x: new Float32Array(batchSize * dim),
    y: new Float32Array(batchSize * cols),
    m: new Float32Array(batchSize * cols),
    keep: units > 0 && cfg.dropout > 0 ? new Float32Array(batchSize * units) : null,
  }
  const trainee = units > 0 ? hiddenTrainee(model, batch, { dim, cols, units, l2: cfg.l2, posWeight, optimizer }) : linearTrainee(model, batch, { dim, cols, l2: cfg.l2, lossOpts, optimizer })
  const rng = makeRng(cfg.seed ^ 0x9e3779b9)
  // Its own stream, so a linear head's shuffles are what they always were.
  const dropRng = makeRng(cfg.seed ^ 0x85ebca6b)
  const order = Array.from({ length: nTrain }, (_, i) => i)
  const history: EpochEvent[] = []
  const stopEarly = cfg.earlyStopping && nVal > 0
  let best: { epoch: number; valLoss: number; weights: tf.Tensor[] } | null = null
  // Per-batch losses stay on the backend until the epoch ends; a cancel mid-epoch frees them too.
  let batchLosses: tf.Scalar[] = []
  let lastYield = performance.now()
  try {
    for (let epoch = 1; epoch <= cfg.epochs; epoch++) {
      const started = performance.now()
      shuffleInPlace(order, rng)
      batchLosses = []
      for (let start = 0; start < nTrain; start += batchSize) {
        throwIfCancelled()
        const n = Math.min(batchSize, nTrain - start)
        for (let r = 0; r < n; r++) {
          const row = order[start + r] as number
          batch.x.set(xTrain.subarray(row * dim, (row + 1) * dim), r * dim)
          batch.y.set(yTrainM.values.subarray(row * cols, (row + 1) * cols), r * cols)
          batch.m.set(yTrainM.mask.subarray(row * cols, (row + 1) * cols), r * cols)
        }
        if (batch.keep) fillDropout(batch.keep, n * units, cfg.dropout, dropRng)
        batchLosses.push(trainee.step(n))
        if (performance.now() - lastYield > 100) {
          await yieldToEventLoop()
          lastYield = performance.now()
        }
      }
      // One read per epoch: reading every batch's loss would stall the pipeline.
      const summed = tf.tidy(() => tf.addN(batchLosses))
      const lossSum = (await summed.data())[0] as number
      summed.dispose()
      tf.dispose(batchLosses)
      batchLosses = []
      const { valLoss, valExact } = await evaluateEpoch(trainee.forward, xVal, yVal, mVal, yValM, nVal, cols, lossOpts)
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
      if (!stopEarly) continue
      if (valLoss !== null && (best === null || valLoss < best.valLoss)) {
        if (best) tf.dispose(best.weights)
        best = { epoch, valLoss, weights: trainee.variables.map((v) => tf.clone(v)) }
      } else if (epoch - (best?.epoch ?? 0) >= cfg.patience) {
        break
      }
    }
    if (best) trainee.variables.forEach((v, i) => v.assign(best?.weights[i] as tf.Tensor))
    const valProbs = nVal === 0 ? new Float32Array(0) : await probabilities(trainee.forward, xVal)
    const head: HeadWeights = { dim, numLabels: cols, mean: std.mean, scale: std.scale, ...(await trainee.weights()) }
    return { head, history, valProbs, bestEpoch: best?.epoch ?? null }
  } finally {
    tf.dispose(batchLosses)
    if (best) tf.dispose(best.weights)
    tf.dispose([xVal, yVal, mVal])
    if (posWeight) posWeight.dispose()
    optimizer.dispose()
    model.dispose()
  }
}

function linearTrainee(
  model: tf.Sequential,
  batch: Batch,
  o: { dim: number; cols: number; l2: number; lossOpts: (m: tf.Tensor2D) => { posWeight?: tf.Tensor1D; mask: tf.Tensor2D }; optimizer: tf.Optimizer },
): Trainee {
  // getWeights() hands back the layer's own variables: updating them trains the model in place.
  const [k, b] = model.layers[0]?.getWeights() ?? []
  const kernel = variableOf(k)
  const bias = variableOf(b)
  // model.predict would slice its input into batches of 32, and slicing copies the whole tensor on WASM.
  const forward = (x: tf.Tensor2D): tf.Tensor2D => tf.add(tf.matMul(x, kernel), bias) as tf.Tensor2D
  const { dim, cols, l2, lossOpts } = o
  return {
    variables: [kernel, bias],
    forward,
    step: (n) =>
      tf.tidy(() => {
        const xb = tf.tensor2d(batch.x.subarray(0, n * dim), [n, dim])
        const yb = tf.tensor2d(batch.y.subarray(0, n * cols), [n, cols])
        const mb = tf.tensor2d(batch.m.subarray(0, n * cols), [n, cols])
        const logits = forward(xb)
        const g = bceWithLogitsGrad(logits, yb, lossOpts(mb))
        let dKernel: tf.Tensor = transposedTimes(xb, g)
        if (l2 > 0) dKernel = tf.add(dKernel, tf.mul(2 * l2, kernel))
        o.optimizer.applyGradients([
          { name: kernel.name, tensor: dKernel },
          { name: bias.name, tensor: tf.sum(g, 0) },
        ])
        const bce = bceWithLogits(logits, yb, lossOpts(mb))
        const total = l2 > 0 ? tf.add(bce, tf.mul(l2, tf.sum(tf.square(kernel)))) : bce
        return tf.mul(total, n) as tf.Scalar
      }),
    weights: async () => ({ kernel: (await kernel.data()) as Float32Array, bias: (await bias.data()) as Float32Array }),
  }
}

function hiddenTrainee(
  model: tf.Sequential,
  batch: Batch,
  o: { dim: number; cols: number; units: number; l2: number; posWeight: tf.Tensor1D | undefined; optimizer: tf.Optimizer },
): Trainee {
  const [hk, hb] = model.layers[0]?.getWeights() ?? []
  const [k, b] = model.layers[1]?.getWeights() ?? []
  const vars = { hiddenKernel: variableOf(hk), hiddenBias: variableOf(hb), kernel: variableOf(k), bias: variableOf(b) }
  const params = vars as unknown as HiddenHeadParams
  const { dim, cols, units, l2 } = o
  return {
    variables: [vars.hiddenKernel, vars.hiddenBias, vars.kernel, vars.bias],
    forward: (x) => hiddenLogits(params, x),
    step: (n) =>
      tf.tidy(() => {
        const hb: HeadBatch = {
          x: tf.tensor2d(batch.x.subarray(0, n * dim), [n, dim]),
          y: tf.tensor2d(batch.y.subarray(0, n * cols), [n, cols]),
          mask: tf.tensor2d(batch.m.subarray(0, n * cols), [n, cols]),
          ...(o.posWeight ? { posWeight: o.posWeight } : {}),
          ...(batch.keep ? { keep: tf.tensor2d(batch.keep.subarray(0, n * units), [n, units]) } : {}),
        }
        const { grads, logits } = hiddenHeadGrads(params, hb, l2)
        // The loss is reported before the step, from the logits the gradients came from.
        const bce = bceWithLogits(logits, hb.y, o.posWeight ? { posWeight: o.posWeight, mask: hb.mask } : { mask: hb.mask })
        const total = l2 > 0 ? tf.add(bce, tf.mul(l2, tf.add(tf.sum(tf.square(params.hiddenKernel)), tf.sum(tf.square(params.kernel))))) : bce
        const scaled = tf.mul(total, n) as tf.Scalar
        o.optimizer.applyGradients(Object.entries(grads).map(([key, tensor]) => ({ name: vars[key as keyof typeof vars].name, tensor })))
        return scaled
      }),
    weights: async () => ({
      hidden: { units, kernel: (await vars.hiddenKernel.data()) as Float32Array, bias: (await vars.hiddenBias.data()) as Float32Array },
      kernel: (await vars.kernel.data()) as Float32Array,
      bias: (await vars.bias.data()) as Float32Array,
    }),
  }
}

async function probabilities(forward: (x: tf.Tensor2D) => tf.Tensor2D, x: tf.Tensor2D): Promise<Float32Array> {
  const p = tf.tidy(() => tf.sigmoid(forward(x)))
  const data = (await p.data()) as Float32Array
  p.dispose()
  return data
}

async function evaluateEpoch(
  forward: (x: tf.Tensor2D) => tf.Tensor2D,
  xVal: tf.Tensor2D,
  yVal: tf.Tensor2D,
  mVal: tf.Tensor2D,
  yValM: LabelMatrix,
  nVal: number,
  cols: number,
  lossOpts: (m: tf.Tensor2D) => { posWeight?: tf.Tensor1D; mask: tf.Tensor2D },
): Promise<{ valLoss: number | null; valExact: number | null }> {
  if (nVal === 0) return { valLoss: null, valExact: null }
  const [lossT, probsT] = tf.tidy(() => {
    const logits = forward(xVal)
    return [bceWithLogits(logits, yVal, lossOpts(mVal)), tf.sigmoid(logits)]
  })
  const valLoss = (await lossT.data())[0] as number
  const probs = (await probsT.data()) as Float32Array
  tf.dispose([lossT, probsT])
  return { valLoss: finiteOrNull(valLoss), valExact: finiteOrNull(exactMatch(decide(probs, nVal, cols), yValM)) }
}

function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null
}
