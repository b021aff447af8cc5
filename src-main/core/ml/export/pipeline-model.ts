import { TagsmithError } from '../../errors.ts'
import { featureOutput } from '../backbones/load.ts'
import type { HeadWeights } from '../head.ts'
import { tf } from '../tf.ts'

// The whole classifier as one plain TF.js layers model: backbone cut -> pooled, joined features ->
// Dense layers (a hidden ReLU layer when the run's head has one) -> sigmoid. Standardisation is folded
// into the first Dense layer's weights, which is exact:
//   ((f - mean) * scale) K + b  =  f (diag(scale) K) + (b - (mean * scale) K)
// so the model needs no custom layer and loads with tf.loadLayersModel anywhere.

export const HEAD_LAYER = 'tagsmith_head'
export const HIDDEN_LAYER = 'tagsmith_hidden'

/**
 * The first Dense layer's weights (the hidden layer's, else the output's) with standardisation folded in,
 * computed in double precision.
 */
export function foldStandardisation(head: HeadWeights): { kernel: Float32Array; bias: Float32Array } {
  const first = head.hidden ?? head
  const dim = head.dim
  const cols = head.hidden ? head.hidden.units : head.numLabels
  const kernel = new Float32Array(dim * cols)
  const bias = new Float64Array(cols)
  for (let j = 0; j < cols; j++) bias[j] = first.bias[j] as number
  for (let d = 0; d < dim; d++) {
    const scale = head.scale[d] as number
    const shift = (head.mean[d] as number) * scale
    for (let j = 0; j < cols; j++) {
      const k = first.kernel[d * cols + j] as number
      kernel[d * cols + j] = scale * k
      bias[j] = (bias[j] as number) - shift * k
    }
  }
  return { kernel, bias: Float32Array.from(bias) }
}

/** The head's Dense layers on the joined features, weights set: probabilities out. */
function headLayers(features: tf.SymbolicTensor, head: HeadWeights): tf.SymbolicTensor {
  const folded = foldStandardisation(head)
  let inputs = features
  if (head.hidden) {
    const units = head.hidden.units
    const hidden = tf.layers.dense({ units, activation: 'relu', name: HIDDEN_LAYER })
    inputs = hidden.apply(features) as tf.SymbolicTensor
    hidden.setWeights([tf.tensor2d(folded.kernel, [head.dim, units]), tf.tensor1d(folded.bias)])
  }
  const dense = tf.layers.dense({ units: head.numLabels, activation: 'sigmoid', name: HEAD_LAYER })
  const probabilities = dense.apply(inputs) as tf.SymbolicTensor
  const output = head.hidden ? { kernel: head.kernel, bias: head.bias } : folded
  dense.setWeights([tf.tensor2d(output.kernel, [head.hidden?.units ?? head.dim, head.numLabels]), tf.tensor1d(output.bias)])
  return probabilities
}

/** A further model whose pooled taps join the features, on its own image input. */
export interface PipelinePart {
  model: tf.LayersModel
  featureLayers: string[]
  id: string
}

/** The name of the colour-statistics input of a composite model. */
export const COLOUR_INPUT = 'colour'

/**
 * Builds the pipeline on a loaded backbone, reusing its layers and weights. The returned model shares
 * the backbones' weights: dispose the backbones (not the returned model) when done. Composite features
 * join, in their cache order: the backbone's taps, then a `colour` input of `colourLength` values, then
 * each further model's taps on its own image input. Inputs come in that order too.
 */
export function buildPipelineModel(
  backbone: tf.LayersModel,
  featureLayers: string[],
  head: HeadWeights,
  id: string,
  parts: { colourLength?: number; also?: readonly PipelinePart[] } = {},
): tf.LayersModel {
  const inputs: tf.SymbolicTensor[] = [...backbone.inputs]
  const features = [featureOutput(backbone, featureLayers, id)]
  if (parts.colourLength) {
    const colour = tf.input({ shape: [parts.colourLength], name: COLOUR_INPUT })
    inputs.push(colour)
    features.push(colour)
  }
  for (const part of parts.also ?? []) {
    inputs.push(...part.model.inputs)
    features.push(featureOutput(part.model, part.featureLayers, part.id))
  }
  const joined = features.length === 1 ? (features[0] as tf.SymbolicTensor) : (tf.layers.concatenate({ name: 'tagsmith_features' }).apply(features) as tf.SymbolicTensor)
  const dim = joined.shape[1]
  if (dim !== head.dim) throw new TagsmithError('CONFLICT', `the features of ${id}${features.length > 1 ? ' and its parts' : ''} have ${String(dim)} values; the run's head takes ${head.dim}`)
  const probabilities = headLayers(joined, head)
  return tf.model({ inputs, outputs: probabilities, name: 'tagsmith_classifier' })
}
