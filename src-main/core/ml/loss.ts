import { tf } from './tf.ts'

/**
 * Binary cross-entropy from logits in the numerically stable form
 *   max(x, 0) - x*z + log(1 + exp(-|x|))
 * and, with a per-label positive weight p, the equivalent weighted form
 *   (1 - z)*x + (1 + (p - 1)*z) * (log(1 + exp(-|x|)) + max(-x, 0)).
 * `logits` must be raw scores: a sigmoid applied before this function is a bug.
 * `mask` (1 = known, 0 = empty cell) excludes unknown labels; the result is the mean over known cells.
 */
export function bceWithLogits(
  logits: tf.Tensor2D,
  targets: tf.Tensor2D,
  opts: { posWeight?: tf.Tensor1D; mask?: tf.Tensor2D } = {},
): tf.Scalar {
  return tf.tidy(() => {
    const x = logits
    const z = targets
    const softplusNegAbs = tf.log1p(tf.exp(tf.neg(tf.abs(x))))
    let perCell: tf.Tensor
    if (opts.posWeight) {
      const softplusNegX = tf.add(softplusNegAbs, tf.relu(tf.neg(x)))
      const weight = tf.add(1, tf.mul(tf.sub(opts.posWeight, 1), z))
      perCell = tf.add(tf.mul(tf.sub(1, z), x), tf.mul(weight, softplusNegX))
    } else {
      perCell = tf.add(tf.sub(tf.relu(x), tf.mul(x, z)), softplusNegAbs)
    }
    if (opts.mask) {
      const known = tf.maximum(tf.sum(opts.mask), 1)
      return tf.div(tf.sum(tf.mul(perCell, opts.mask)), known) as tf.Scalar
    }
    return tf.mean(perCell) as tf.Scalar
  })
}

/** pos_weight per label = negatives / positives among known training cells, clipped to [1/cap, cap]. */
export function positiveWeights(labels: Float32Array, mask: Float32Array, rows: number, cols: number, cap = 50): Float32Array {
  const out = new Float32Array(cols)
  for (let j = 0; j < cols; j++) {
    let pos = 0
    let neg = 0
    for (let i = 0; i < rows; i++) {
      const k = i * cols + j
      if (mask[k] === 0) continue
      if (labels[k] === 1) pos++
      else neg++
    }
    const w = pos === 0 ? cap : neg / pos
    out[j] = Math.min(cap, Math.max(1 / cap, w))
  }
  return out
}

/**
 * Gradient of bceWithLogits with respect to the logits, in closed form (same options, same mean over
 * known cells): s - z without weights, (1 - z) - (1 + (p - 1) z)(1 - s) with pos_weight p,
 * where s = sigmoid(x). Training uses it instead of autodiff: the head is linear, and skipping the
 * tape makes a step several times cheaper. A test pins it to tf.grad of the loss.
 */
export function bceWithLogitsGrad(
  logits: tf.Tensor2D,
  targets: tf.Tensor2D,
  opts: { posWeight?: tf.Tensor1D; mask?: tf.Tensor2D } = {},
): tf.Tensor2D {
  return tf.tidy(() => {
    const s = tf.sigmoid(logits)
    const z = targets
    let perCell: tf.Tensor
    if (opts.posWeight) {
      const weight = tf.add(1, tf.mul(tf.sub(opts.posWeight, 1), z))
      perCell = tf.sub(tf.sub(1, z), tf.mul(weight, tf.sub(1, s)))
    } else {
      perCell = tf.sub(s, z)
    }
    if (opts.mask) return tf.div(tf.mul(perCell, opts.mask), tf.maximum(tf.sum(opts.mask), 1)) as tf.Tensor2D
    return tf.div(perCell, logits.size) as tf.Tensor2D
  })
}
