import fs from 'node:fs'
import path from 'node:path'
import { TagsmithError } from '../../errors.ts'
import { tf } from '../tf.ts'

// A layers model as files: model.json (topology + weights manifest) and weight shards, the layout
// tf.loadLayersModel reads from a URL in the browser and that any file reader can hand it in Node.

const SHARD_BYTES = 4 * 1024 * 1024
const SHARD_NAME = /^[A-Za-z0-9_.-]+\.bin$/

interface ModelJson {
  format: 'layers-model'
  generatedBy?: string
  convertedBy: null
  modelTopology: unknown
  weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>
}

function joinBuffers(data: tf.io.WeightData): Uint8Array {
  const parts = Array.isArray(data) ? data : [data]
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0))
  let at = 0
  for (const p of parts) {
    out.set(new Uint8Array(p), at)
    at += p.byteLength
  }
  return out
}

/** Writes model.json and its weight shards into `dir`; returns the file names written. */
export async function writeModelFiles(model: tf.LayersModel, dir: string): Promise<string[]> {
  const saved: { artifacts?: tf.io.ModelArtifacts } = {}
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved.artifacts = artifacts
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
    }),
  )
  const { artifacts } = saved
  if (!artifacts?.weightData || !artifacts.weightSpecs) throw new TagsmithError('INTERNAL', 'the model saved no weights')
  const bytes = joinBuffers(artifacts.weightData)
  const count = Math.max(1, Math.ceil(bytes.byteLength / SHARD_BYTES))
  const paths = Array.from({ length: count }, (_, i) => `group1-shard${i + 1}of${count}.bin`)
  paths.forEach((name, i) => fs.writeFileSync(path.join(dir, name), bytes.subarray(i * SHARD_BYTES, (i + 1) * SHARD_BYTES)))
  const json: ModelJson = {
    format: 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths, weights: artifacts.weightSpecs }],
  }
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json))
  return ['model.json', ...paths]
}

/** model.json and its shards as in-memory artifacts; shard names may not leave the folder. */
export function readModelFiles(dir: string): tf.io.ModelArtifacts {
  const file = path.join(dir, 'model.json')
  let json: Partial<ModelJson>
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<ModelJson>
  } catch (err) {
    throw new TagsmithError('BAD_INPUT', `cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`)
  }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) throw new TagsmithError('BAD_INPUT', `${file} is not a TF.js layers model`)
  const parts: Buffer[] = []
  const weightSpecs: tf.io.WeightsManifestEntry[] = []
  for (const group of json.weightsManifest) {
    for (const name of group.paths) {
      if (!SHARD_NAME.test(name)) throw new TagsmithError('BAD_INPUT', `${file}: weight file ${JSON.stringify(name)} is not a file name in the folder`)
      try {
        parts.push(fs.readFileSync(path.join(dir, name)))
      } catch (err) {
        throw new TagsmithError('BAD_INPUT', `cannot read weight file ${path.join(dir, name)}: ${err instanceof Error ? err.message : String(err)}`)
      }
    }
    weightSpecs.push(...group.weights)
  }
  const total = parts.reduce((n, p) => n + p.byteLength, 0)
  const weightData = new ArrayBuffer(total)
  const view = new Uint8Array(weightData)
  let at = 0
  for (const p of parts) {
    view.set(p, at)
    at += p.byteLength
  }
  return { modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'], weightSpecs, weightData, format: 'layers-model' }
}
