// A small real TF.js layers model written as a custom backbone folder (model.json + one weight file +
// backbone.json), so extraction and training in the crash tests cost milliseconds per image.
import fs from 'node:fs'
import path from 'node:path'
import { tf } from '../../../../src-main/core/ml/tf.ts'
import { saveModelFolder } from '../../ml/helpers.ts'

/** 16×16 RGB in; two named conv layers ("conv_a": 4 channels, "conv_b": 8) whose pooled outputs are the features. */
export async function writeTinyBackbone(dir: string): Promise<{ dir: string; weights: string }> {
  const model = tf.sequential()
  const init = (seed: number): ReturnType<typeof tf.initializers.glorotUniform> => tf.initializers.glorotUniform({ seed })
  model.add(tf.layers.conv2d({ inputShape: [16, 16, 3], filters: 4, kernelSize: 3, activation: 'relu', name: 'conv_a', kernelInitializer: init(11) }))
  model.add(tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, activation: 'relu', name: 'conv_b', kernelInitializer: init(12) }))
  model.add(tf.layers.globalAveragePooling2d({ name: 'pool' }))
  await saveModelFolder(model, dir)
  model.dispose()
  fs.writeFileSync(path.join(dir, 'backbone.json'), JSON.stringify({ inputSize: 16 }))
  return { dir, weights: path.join(dir, 'weights.bin') }
}

export const TINY_LAYERS = ['conv_a', 'conv_b']
