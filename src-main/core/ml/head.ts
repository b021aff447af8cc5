import { tf } from './tf.ts'

export interface HeadConfig {
  inputDim: number
  numLabels: number
  seed: number
  /** units of a hidden ReLU layer before the output; 0 or left out: none */
  hiddenUnits?: number
}

/**
 * Dense layers from (standardised) features to one logit per label: one linear layer, or a hidden ReLU
 * layer and then the linear output. No sigmoid: the loss takes logits, and probabilities are a sigmoid
 * applied only when predicting. Dropout is not a layer here: training applies it by hand.
 */
export function buildHead(cfg: HeadConfig): tf.Sequential {
  const model = tf.sequential()
  const hidden = cfg.hiddenUnits ?? 0
  if (hidden > 0) {
    model.add(
      tf.layers.dense({
        inputShape: [cfg.inputDim],
        units: hidden,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed: cfg.seed }),
        biasInitializer: 'zeros',
        name: 'hidden',
      }),
    )
  }
  model.add(
    tf.layers.dense({
      ...(hidden > 0 ? {} : { inputShape: [cfg.inputDim] }),
      units: cfg.numLabels,
      activation: 'linear',
      kernelInitializer: tf.initializers.glorotUniform({ seed: hidden > 0 ? cfg.seed + 1 : cfg.seed }),
      biasInitializer: 'zeros',
      name: 'head',
    }),
  )
  return model
}

/** A hidden ReLU layer: kernel dim x units (row-major) and one bias per unit. */
export interface HiddenLayer {
  units: number
  kernel: Float32Array
  bias: Float32Array
}

/**
 * What a trained head is, independent of TF.js: standardisation, an optional hidden layer, and the output
 * layer's kernel (inputs x labels, row-major; inputs are the features, or the hidden units) and bias.
 */
export interface HeadWeights {
  dim: number
  numLabels: number
  mean: Float32Array
  scale: Float32Array
  hidden?: HiddenLayer
  kernel: Float32Array
  bias: Float32Array
}

/** The head's layer widths, e.g. "538 -> 256 relu -> 11 sigmoid". */
export function headShape(w: Pick<HeadWeights, 'dim' | 'numLabels' | 'hidden'>): string {
  return w.hidden ? `${w.dim} -> ${w.hidden.units} relu -> ${w.numLabels} sigmoid` : `${w.dim} -> ${w.numLabels} sigmoid`
}

/** Probabilities for raw (unstandardised) feature rows, row-major n x dim -> n x labels. */
export function predictProbabilities(w: HeadWeights, x: Float32Array, n: number): Float32Array {
  if (n === 0) return new Float32Array(0)
  const out = tf.tidy(() => {
    const xs = tf.tensor2d(x, [n, w.dim])
    let h = tf.mul(tf.sub(xs, tf.tensor1d(w.mean)), tf.tensor1d(w.scale)) as tf.Tensor2D
    let inputs = w.dim
    if (w.hidden) {
      h = tf.relu(tf.add(tf.matMul(h, tf.tensor2d(w.hidden.kernel, [w.dim, w.hidden.units])), tf.tensor1d(w.hidden.bias))) as tf.Tensor2D
      inputs = w.hidden.units
    }
    const logits = tf.add(tf.matMul(h, tf.tensor2d(w.kernel, [inputs, w.numLabels])), tf.tensor1d(w.bias))
    return tf.sigmoid(logits)
  })
  const data = out.dataSync() as Float32Array
  out.dispose()
  return data
}
