// The offline default backbone ships inside the nsfwjs package as two UMD scripts: model.json as an
// object and the weight shard as base64. Reading them directly gives the converter its input without
// loading TF.js.
import { createRequire } from 'node:module'
import path from 'node:path'
import { TagsmithError } from '../../errors.ts'
import { sourceFromArtifacts, type LayersSource } from './layers-source.ts'

const requireHere = createRequire(import.meta.url)

export interface LayersArtifacts {
  modelJson: unknown
  weightData: Uint8Array
}

/** The nsfwjs MobileNetV2 (224x224 RGB in [0, 1]). */
export function readNsfwjsMobileNetV2(): LayersArtifacts {
  let dir: string
  try {
    dir = path.resolve(path.dirname(requireHere.resolve('nsfwjs')), '../models/mobilenet_v2')
  } catch (err) {
    throw new TagsmithError('UNAVAILABLE', `the bundled backbone package nsfwjs is not installed (${String(err)})`)
  }
  const modelJson: unknown = requireHere(path.join(dir, 'model.min.js'))
  const shard: unknown = requireHere(path.join(dir, 'group1-shard1of1.min.js'))
  const base64 = typeof shard === 'string' ? shard : (shard as { default?: unknown }).default
  if (typeof base64 !== 'string') throw new TagsmithError('INTERNAL', `${dir}: weight shard is not a base64 string`)
  return { modelJson, weightData: new Uint8Array(Buffer.from(base64, 'base64')) }
}

export function nsfwjsMobileNetV2Source(): LayersSource {
  const { modelJson, weightData } = readNsfwjsMobileNetV2()
  return sourceFromArtifacts(modelJson, weightData)
}
