import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { tf } from '../../../src-main/core/ml/tf.ts'

const repoRoot = path.resolve(import.meta.dirname, '../../..')
export const fixturesDir = (): string => process.env.TAGSMITH_FIXTURES ?? path.resolve(repoRoot, '..', 'shared', 'fixtures')
export const apparelDir = (): string => path.join(fixturesDir(), 'apparel-mini')

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `tagsmith-${prefix}-`))
}

/** Copies the first `rows` data rows of a fixture CSV, and their images, into `dir`. */
export function copyFixtureSubset(dir: string, csv: 'train.csv' | 'val.csv', rows: number): string[] {
  const lines = fs.readFileSync(path.join(apparelDir(), csv), 'utf8').split(/\r?\n/).filter((l) => l.length > 0)
  const kept = lines.slice(0, rows + 1)
  fs.writeFileSync(path.join(dir, csv), `${kept.join('\n')}\n`)
  const images = kept.slice(1).map((l) => l.split(',')[1] ?? '')
  for (const rel of images) {
    const to = path.join(dir, rel)
    fs.mkdirSync(path.dirname(to), { recursive: true })
    fs.copyFileSync(path.join(apparelDir(), rel), to)
  }
  return images.map((rel) => path.join(dir, rel))
}

/** Absolute paths of the first `n` fixture images (read-only; do not modify). */
export function fixtureImages(n: number): string[] {
  const lines = fs.readFileSync(path.join(apparelDir(), 'train.csv'), 'utf8').split(/\r?\n/).slice(1, n + 1)
  return lines.map((l) => path.join(apparelDir(), l.split(',')[1] ?? ''))
}

/** Writes a layers model as a TF.js model folder: model.json plus one weight file, weights.bin. */
export async function saveModelFolder(model: tf.LayersModel, dir: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true })
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = artifacts.weightData
      if (!weights || Array.isArray(weights)) throw new Error('expected one weight buffer')
      fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.from(weights as ArrayBuffer))
      const json = {
        format: 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
      }
      fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json))
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
    }),
  )
}

/**
 * A tiny layers model (16x16 RGB -> two named conv layers -> dense) written as a TF.js model folder:
 * model.json + one weight file. Pooled conv_a (4) + conv_b (8) = 12 features.
 */
export async function writeTinyModel(dir: string, seed = 1): Promise<{ files: string[] }> {
  const model = tf.sequential()
  model.add(tf.layers.conv2d({ inputShape: [16, 16, 3], filters: 4, kernelSize: 3, activation: 'relu', name: 'conv_a', kernelInitializer: tf.initializers.glorotUniform({ seed }) }))
  model.add(tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, activation: 'relu', name: 'conv_b', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }))
  model.add(tf.layers.globalAveragePooling2d({ name: 'pool' }))
  model.add(tf.layers.dense({ units: 2, name: 'logits', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }) }))
  await saveModelFolder(model, dir)
  model.dispose()
  fs.writeFileSync(path.join(dir, 'backbone.json'), JSON.stringify({ inputSize: 16 }))
  return { files: ['model.json', 'weights.bin'] }
}

/**
 * A hand-written TF.js graph model (GraphDef JSON): image -> 1x1 Conv2D (3 -> 4 channels) -> Relu.
 * Returns the kernel so a test can compute the expected features itself.
 */
export function writeTinyGraphModel(dir: string): { kernel: Float32Array } {
  const kernel = Float32Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0.5]) // [1, 1, 3, 4]
  const b64 = (s: string): string => Buffer.from(s).toString('base64')
  const float = { type: 'DT_FLOAT' }
  const model = {
    format: 'graph-model',
    generatedBy: 'test',
    convertedBy: null,
    modelTopology: {
      node: [
        { name: 'image', op: 'Placeholder', attr: { dtype: float, shape: { shape: { dim: [{ size: '-1' }, { size: '16' }, { size: '16' }, { size: '3' }] } } } },
        { name: 'conv/w', op: 'Const', attr: { dtype: float, value: { tensor: { dtype: 'DT_FLOAT', tensorShape: { dim: [{ size: '1' }, { size: '1' }, { size: '3' }, { size: '4' }] } } } } },
        {
          name: 'conv',
          op: 'Conv2D',
          input: ['image', 'conv/w'],
          attr: { T: float, strides: { list: { i: ['1', '1', '1', '1'] } }, padding: { s: b64('SAME') }, data_format: { s: b64('NHWC') }, dilations: { list: { i: ['1', '1', '1', '1'] } } },
        },
        { name: 'relu', op: 'Relu', input: ['conv'], attr: { T: float } },
      ],
      versions: { producer: 1 },
    },
    weightsManifest: [{ paths: ['w.bin'], weights: [{ name: 'conv/w', shape: [1, 1, 3, 4], dtype: 'float32' }] }],
  }
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(model))
  fs.writeFileSync(path.join(dir, 'w.bin'), Buffer.from(kernel.buffer))
  fs.writeFileSync(path.join(dir, 'backbone.json'), JSON.stringify({ inputSize: 16 }))
  return { kernel }
}
