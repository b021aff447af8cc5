import { bceWithLogits, bceWithLogitsGrad } from './loss.ts'
import { tf } from './tf.ts'

// The head with one hidden ReLU layer, differentiated by hand like the linear head: a step skips the
// autodiff tape, which is several times cheaper on the WASM backend. A test pins the gradients to tf.grads.

export interface HiddenHeadParams {
  /** dim x units */
  hiddenKernel: tf.Tensor2D
  hiddenBias: tf.Tensor1D
  /** units x labels */
  kernel: tf.Tensor2D
  bias: tf.Tensor1D
}

export interface HeadBatch {
  /** standardised features, n x dim */
  x: tf.Tensor2D
  y: tf.Tensor2D
  mask: tf.Tensor2D
  posWeight?: tf.Tensor1D
  /** inverted dropout, n x units: 0 for a dropped unit, 1 / (1 - rate) for a kept one; left out: no dropout */
  keep?: tf.Tensor2D
}

export type HiddenHeadGrads = { [K in keyof HiddenHeadParams]: tf.Tensor }

const lossOptions = (b: HeadBatch): { posWeight?: tf.Tensor1D; mask: tf.Tensor2D } => (b.posWeight ? { posWeight: b.posWeight, mask: b.mask } : { mask: b.mask })

/**
 * xᵀ·d for x (n x dim) and d (n x k), the gradient of a kernel applied to x. WASM multiplies plain
 * matrices many times faster than transposed ones, so a transpose is made explicit: of x, or, when k is
 * small, of d and of the k x dim product (fewer values to move; measured faster up to k of about a
 * quarter of x's size).
 */
export function transposedTimes(x: tf.Tensor2D, d: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const [n, dim] = x.shape
    const k = d.shape[1]
    if (k * (n + dim) < 0.75 * n * dim) return tf.transpose(tf.matMul(tf.transpose(d), x)) as tf.Tensor2D
    return tf.matMul(tf.transpose(x), d)
  })
}

/** Logits of the batch; with `keep`, the hidden activations are dropped out as in training. */
export function hiddenLogits(p: HiddenHeadParams, x: tf.Tensor2D, keep?: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const a = tf.relu(tf.add(tf.matMul(x, p.hiddenKernel), p.hiddenBias)) as tf.Tensor2D
    return tf.add(tf.matMul(keep ? tf.mul(a, keep) : a, p.kernel), p.bias) as tf.Tensor2D
  })
}

/** The training loss: masked binary cross-entropy from logits plus l2 times the squared norm of both kernels. */
export function hiddenHeadLoss(p: HiddenHeadParams, b: HeadBatch, l2: number): tf.Scalar {
  return tf.tidy(() => {
    const bce = bceWithLogits(hiddenLogits(p, b.x, b.keep), b.y, lossOptions(b))
    if (l2 <= 0) return bce
    return tf.add(bce, tf.mul(l2, tf.add(tf.sum(tf.square(p.hiddenKernel)), tf.sum(tf.square(p.kernel))))) as tf.Scalar
  })
}

/** Gradients of hiddenHeadLoss with respect to every parameter, by backpropagation written out; also the logits. */
export function hiddenHeadGrads(p: HiddenHeadParams, b: HeadBatch, l2: number): { grads: HiddenHeadGrads; logits: tf.Tensor2D } {
  return tf.tidy(() => {
    const pre = tf.add(tf.matMul(b.x, p.hiddenKernel), p.hiddenBias)
    const relu = tf.relu(pre)
    const a = (b.keep ? tf.mul(relu, b.keep) : relu) as tf.Tensor2D
    const logits = tf.add(tf.matMul(a, p.kernel), p.bias) as tf.Tensor2D
    const g = bceWithLogitsGrad(logits, b.y, lossOptions(b))
    let dKernel: tf.Tensor = transposedTimes(a, g)
    // Back through the output layer, then the dropout multipliers and the ReLU's gate (1 where pre > 0).
    const gate = b.keep ? tf.mul(tf.step(pre), b.keep) : tf.step(pre)
    const dPre = tf.mul(tf.matMul(g, tf.transpose(p.kernel)), gate) as tf.Tensor2D
    let dHiddenKernel: tf.Tensor = transposedTimes(b.x, dPre)
    if (l2 > 0) {
      dKernel = tf.add(dKernel, tf.mul(2 * l2, p.kernel))
      dHiddenKernel = tf.add(dHiddenKernel, tf.mul(2 * l2, p.hiddenKernel))
    }
    return {
      grads: { hiddenKernel: dHiddenKernel, hiddenBias: tf.sum(dPre, 0), kernel: dKernel, bias: tf.sum(g, 0) },
      logits,
    }
  })
}

/** Inverted dropout multipliers for `count` activations: each dropped with probability `rate`, the kept scaled up. */
export function fillDropout(out: Float32Array, count: number, rate: number, rng: () => number): Float32Array {
  const kept = 1 / (1 - rate)
  for (let i = 0; i < count; i++) out[i] = rng() < rate ? 0 : kept
  return out
}
