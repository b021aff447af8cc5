import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import { TagsmithError } from '../../errors.ts'
import { tf } from '../tf.ts'

type ModelArtifacts = tf.io.ModelArtifacts
type WeightsManifestConfig = tf.io.WeightsManifestConfig

interface ModelJson {
  modelTopology?: unknown
  format?: string
  generatedBy?: string
  convertedBy?: string | null
  weightsManifest?: WeightsManifestConfig
  signature?: unknown
  userDefinedMetadata?: Record<string, unknown>
  modelInitializer?: unknown
  trainingConfig?: unknown
}

function toArrayBuffer(buf: Buffer): ArrayBuffer {
  const out = new ArrayBuffer(buf.byteLength)
  new Uint8Array(out).set(buf)
  return out
}

function artifactsFrom(json: ModelJson, weightData: ArrayBuffer): ModelArtifacts {
  const weightSpecs = (json.weightsManifest ?? []).flatMap((group) => group.weights)
  const artifacts: ModelArtifacts = {
    modelTopology: json.modelTopology as ModelArtifacts['modelTopology'],
    weightSpecs,
    weightData,
  }
  if (json.format !== undefined) artifacts.format = json.format
  if (json.generatedBy !== undefined) artifacts.generatedBy = json.generatedBy
  if (json.convertedBy !== undefined && json.convertedBy !== null) artifacts.convertedBy = json.convertedBy
  if (json.signature !== undefined) artifacts.signature = json.signature as object
  if (json.userDefinedMetadata !== undefined) artifacts.userDefinedMetadata = json.userDefinedMetadata as ModelArtifacts['userDefinedMetadata']
  if (json.modelInitializer !== undefined) artifacts.modelInitializer = json.modelInitializer as object
  return artifacts
}

/** An IOHandler over artifacts already in memory: loading never touches the network. */
export function memoryHandler(artifacts: ModelArtifacts): tf.io.IOHandler {
  return { load: async () => artifacts }
}

/**
 * The nsfwjs package ships its Keras MobileNetV2 as two browserify bundles: `model.min.js` exports the
 * model.json object and `group1-shard1of1.min.js` exports the weight shard as a base64 string.
 * We require them as CommonJS modules from the installed package and build the artifacts offline.
 */
export function nsfwjsArtifacts(pkg: string, dir: string): ModelArtifacts {
  const require = createRequire(import.meta.url)
  let root: string
  try {
    // The package's main is dist/cjs/index.js; models live in dist/<dir>.
    root = path.resolve(path.dirname(require.resolve(pkg)), '..')
  } catch (err) {
    throw new TagsmithError('UNAVAILABLE', `bundled backbone package ${pkg} is not installed: ${err instanceof Error ? err.message : String(err)}`)
  }
  const modelDir = path.join(root, dir)
  // A missing file is named, not left to a module-loader error that names neither the package nor the model.
  const named = (file: string): string => {
    const full = path.join(modelDir, file)
    if (!fs.existsSync(full)) throw new TagsmithError('UNAVAILABLE', `bundled backbone ${pkg}/${dir}: ${file} is missing from the installed package (reinstall ${pkg})`)
    return full
  }
  const json = require(named('model.min.js')) as ModelJson
  const paths = (json.weightsManifest ?? []).flatMap((group) => group.paths)
  const shards = paths.map((p) => {
    const encoded = require(named(`${p}.min.js`)) as unknown
    if (typeof encoded !== 'string') throw new TagsmithError('INTERNAL', `${pkg} weight bundle ${p} is not a base64 string`)
    return Buffer.from(encoded, 'base64')
  })
  return artifactsFrom(json, toArrayBuffer(Buffer.concat(shards)))
}

/** A TF.js model folder on disk: model.json plus the weight files its manifest names, in order. */
export function folderArtifacts(dir: string): { artifacts: ModelArtifacts; contentHash: string } {
  const file = path.join(dir, 'model.json')
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (err) {
    throw new TagsmithError('BAD_INPUT', `cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`)
  }
  let json: ModelJson
  try {
    json = JSON.parse(text) as ModelJson
  } catch (err) {
    throw new TagsmithError('BAD_INPUT', `${file} is not JSON: ${err instanceof Error ? err.message : String(err)}`)
  }
  const hash = crypto.createHash('sha256').update(text)
  const names = (json.weightsManifest ?? []).flatMap((group) => group.paths)
  const shards = names.map((p) => {
    const shard = path.resolve(dir, p)
    // The manifest is data from the folder: it may not point the loader at files elsewhere.
    const rel = path.relative(path.resolve(dir), shard)
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
      throw new TagsmithError('BAD_INPUT', `${file} names weight file ${p}, outside its folder`)
    }
    if (!fs.existsSync(shard)) throw new TagsmithError('BAD_INPUT', `${file} names weight file ${p}, which is missing`)
    const data = fs.readFileSync(shard)
    hash.update(data)
    return data
  })
  const weightData = Buffer.concat(shards)
  const expected = describedWeightBytes(json)
  // Too few bytes is caught by TF.js when it slices the weights; too many would load silently.
  if (expected !== null && weightData.byteLength > expected) {
    throw new TagsmithError(
      'BAD_INPUT',
      `${file} describes ${expected} bytes of weights but ${names.join(', ')} hold ${weightData.byteLength}; the weight files do not belong to this model`,
    )
  }
  return { artifacts: artifactsFrom(json, toArrayBuffer(weightData)), contentHash: hash.digest('hex') }
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2, complex64: 8 }

/** Bytes the manifest's weights take, or null when it cannot say (string weights, unknown types). */
function describedWeightBytes(json: ModelJson): number | null {
  let total = 0
  for (const spec of (json.weightsManifest ?? []).flatMap((group) => group.weights)) {
    const dtype = spec.quantization?.dtype ?? spec.dtype
    const size = DTYPE_BYTES[dtype]
    if (size === undefined) return null
    total += spec.shape.reduce((a, b) => a * b, 1) * size
  }
  return total
}
