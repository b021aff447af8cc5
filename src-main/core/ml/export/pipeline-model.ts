import { TagsmithError } from '../../errors.ts'
import { featureOutput } from '../backbones/load.ts'
import type { HeadWeights } from '../head.ts'
import { tf } from '../tf.ts'

// The whole classifier as one plain TF.js layers model: backbone cut -> pooled, joined features ->
// one Dense layer with a sigmoid. Standardisation is folded into the Dense weights, which is exact:
//   ((f - mean) * scale) K + b  =  f (diag(scale) K) + (b - (mean * scale) K)
// so the model needs no custom layer and loads with tf.loadLayersModel anywhere.

export const HEAD_LAYER = 'tagsmith_head'

/** The Dense weights equal to standardisation followed by the head (computed in double precision). */
export function foldStandardisation(head: HeadWeights): { kernel: Float32Array; bias: Float32Array } {
  const { dim, numLabels: cols } = head
  const kernel = new Float32Array(dim * cols)
  const bias = new Float64Array(cols)
  for (let j = 0; j < cols; j++) bias[j] = head.bias[j] as number
  for (let d = 0; d < dim; d++) {
    const scale = head.scale[d] as number
    const shift = (head.mean[d] as number) * scale
    for (let j = 0; j < cols; j++) {
      const k = head.kernel[d * cols + j] as number
      kernel[d * cols + j] = scale * k
      bias[j] = (bias[j] as number) - shift * k
    }
  }
  return { kernel, bias: Float32Array.from(bias) }
}

/**
 * Builds the pipeline on a loaded backbone, reusing its layers and weights. The returned model shares
 * the backbone's weights: dispose the backbone (not the returned model) when done.
 */
export function buildPipelineModel(backbone: tf.LayersModel, featureLayers: string[], head: HeadWeights, id: string): tf.LayersModel {
  const features = featureOutput(backbone, featureLayers, id)
  const dim = features.shape[1]
  if (dim !== head.dim) throw new TagsmithError('CONFLICT', `backbone ${id} gives ${String(dim)} features; the run's head takes ${head.dim}`)
  const dense = tf.layers.dense({ units: head.numLabels, activation: 'sigmoid', name: HEAD_LAYER })
  const probabilities = dense.apply(features) as tf.SymbolicTensor
  const folded = foldStandardisation(head)
  dense.setWeights([tf.tensor2d(folded.kernel, [head.dim, head.numLabels]), tf.tensor1d(folded.bias)])
  return tf.model({ inputs: backbone.inputs, outputs: probabilities, name: 'tagsmith_classifier' })
}
