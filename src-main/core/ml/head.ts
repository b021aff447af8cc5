import { tf } from './tf.ts'

export interface HeadConfig {
  inputDim: number
  numLabels: number
  seed: number
}

/** One Dense layer: a linear map from (standardised) features to one logit per label. No activation: the
 * loss takes logits, and probabilities are a sigmoid applied only when predicting. */
export function buildHead(cfg: HeadConfig): tf.Sequential {
  const model = tf.sequential()
  model.add(
    tf.layers.dense({
      inputShape: [cfg.inputDim],
      units: cfg.numLabels,
      activation: 'linear',
      kernelInitializer: tf.initializers.glorotUniform({ seed: cfg.seed }),
      biasInitializer: 'zeros',
      name: 'head',
    }),
  )
  return model
}

/** What a trained head is, independent of TF.js: standardisation + kernel (dim x labels, row-major) + bias. */
export interface HeadWeights {
  dim: number
  numLabels: number
  mean: Float32Array
  scale: Float32Array
  kernel: Float32Array
  bias: Float32Array
}

/** Probabilities for raw (unstandardised) feature rows, row-major n x dim -> n x labels. */
export function predictProbabilities(w: HeadWeights, x: Float32Array, n: number): Float32Array {
  if (n === 0) return new Float32Array(0)
  const out = tf.tidy(() => {
    const xs = tf.tensor2d(x, [n, w.dim])
    const standardised = tf.mul(tf.sub(xs, tf.tensor1d(w.mean)), tf.tensor1d(w.scale))
    const logits = tf.add(tf.matMul(standardised, tf.tensor2d(w.kernel, [w.dim, w.numLabels])), tf.tensor1d(w.bias))
    return tf.sigmoid(logits)
  })
  const data = out.dataSync() as Float32Array
  out.dispose()
  return data
}
