import { TagsmithError } from '../../errors.ts'
import { tf } from '../tf.ts'
import { folderArtifacts, memoryHandler, nsfwjsArtifacts } from './artifacts.ts'
import type { BackboneSpec } from './catalog.ts'
import { ensureBackboneDownloaded, type DownloadProgress } from './download.ts'

/** A frozen backbone cut at its feature layers: batches of normalised RGB pixels in, pooled features out. */
export interface FeatureExtractor {
  spec: BackboneSpec
  /** feature cache key: identifies the weights and the layer cut */
  key: string
  dim: number
  inputSize: number
  /**
   * `pixels`: n x size x size x 3 floats (HWC), normalised as spec.normalisation says; returns n x dim.
   * With `handOver` the engine may take the buffer instead of copying it (it is detached afterwards).
   */
  extract(pixels: Float32Array, n: number, opts?: { handOver?: boolean }): Promise<Float32Array>
  dispose(): void
}

export const MODEL_OUTPUTS = '*outputs*'

/** Cache key: backbone id (folders: content hash) plus the layer cut. */
export function backboneKey(spec: BackboneSpec, contentHash?: string): string {
  const base = spec.source === 'folder' && contentHash ? `folder-${contentHash.slice(0, 16)}` : spec.id
  return `${base}:${spec.featureLayers.join('+')}`
}

/** The cache key of a spec without loading the model (folders are hashed from disk). */
export function cacheKeyOf(spec: BackboneSpec): string {
  if (spec.source === 'folder' && spec.folder) return backboneKey(spec, folderArtifacts(spec.folder).contentHash)
  return backboneKey(spec)
}

function pooled(t: tf.SymbolicTensor): tf.SymbolicTensor {
  if (t.shape.length === 4) return tf.layers.globalAveragePooling2d({}).apply(t) as tf.SymbolicTensor
  if (t.shape.length === 2) return t
  return tf.layers.flatten().apply(t) as tf.SymbolicTensor
}

/** The backbone's feature layers, each pooled to a vector, joined into one feature vector per image. */
export function featureOutput(model: tf.LayersModel, layers: string[], id: string): tf.SymbolicTensor {
  const names = new Set(model.layers.map((l) => l.name))
  const outputs =
    layers.length === 1 && layers[0] === MODEL_OUTPUTS
      ? model.outputs.map(pooled)
      : layers.map((name) => {
          if (!names.has(name)) {
            const hint = model.layers.filter((l) => /add|relu|pool/i.test(l.name)).slice(-12).map((l) => l.name).join(', ')
            throw new TagsmithError('BAD_INPUT', `backbone ${id} has no layer "${name}" (some layers: ${hint})`)
          }
          const out = model.getLayer(name).output
          if (Array.isArray(out)) throw new TagsmithError('BAD_INPUT', `layer ${name} of ${id} has several outputs`)
          return pooled(out)
        })
  return outputs.length === 1 ? (outputs[0] as tf.SymbolicTensor) : (tf.layers.concatenate().apply(outputs) as tf.SymbolicTensor)
}

function layersCut(model: tf.LayersModel, layers: string[], id: string): tf.LayersModel {
  return tf.model({ inputs: model.inputs, outputs: featureOutput(model, layers, id) })
}

async function fromLayers(spec: BackboneSpec, model: tf.LayersModel, key: string): Promise<FeatureExtractor> {
  const cut = layersCut(model, spec.featureLayers, spec.id)
  const dim = cut.outputs[0]?.shape[1]
  if (typeof dim !== 'number') throw new TagsmithError('BAD_INPUT', `backbone ${spec.id}: feature size is not fixed`)
  const size = spec.inputSize
  return {
    spec,
    key,
    dim,
    inputSize: size,
    async extract(pixels, n) {
      const y = tf.tidy(() => cut.predict(tf.tensor4d(pixels, [n, size, size, 3])) as tf.Tensor)
      const data = (await y.data()) as Float32Array
      y.dispose()
      return data
    },
    dispose() {
      model.dispose()
    },
  }
}

async function fromGraph(spec: BackboneSpec, model: tf.GraphModel, key: string): Promise<FeatureExtractor> {
  const size = spec.inputSize
  const names = spec.featureLayers.length === 1 && spec.featureLayers[0] === MODEL_OUTPUTS ? model.outputNodes : spec.featureLayers
  const run = (x: tf.Tensor4D): tf.Tensor2D => {
    let outs: tf.Tensor | tf.Tensor[]
    try {
      outs = model.execute(x, names)
    } catch (err) {
      throw new TagsmithError('BAD_INPUT', `backbone ${spec.id}: cannot read nodes ${names.join(', ')}: ${err instanceof Error ? err.message : String(err)}`)
    }
    const list = Array.isArray(outs) ? outs : [outs]
    const pooledOuts = list.map((t) => (t.rank === 4 ? tf.mean(t, [1, 2]) : t.reshape([t.shape[0] ?? 1, -1]))) as tf.Tensor2D[]
    return pooledOuts.length === 1 ? (pooledOuts[0] as tf.Tensor2D) : tf.concat(pooledOuts, 1)
  }
  const probe = tf.tidy(() => run(tf.zeros([1, size, size, 3])))
  const dim = probe.shape[1]
  probe.dispose()
  return {
    spec,
    key,
    dim,
    inputSize: size,
    async extract(pixels, n) {
      const y = tf.tidy(() => run(tf.tensor4d(pixels, [n, size, size, 3])))
      const data = (await y.data()) as Float32Array
      y.dispose()
      return data
    },
    dispose() {
      model.dispose()
    },
  }
}

/** Load a backbone for feature extraction. Nothing but a URL backbone's first use touches the network. */
export async function loadBackbone(
  spec: BackboneSpec,
  opts: { cacheDir?: string; onProgress?: (p: DownloadProgress) => void; signal?: AbortSignal } = {},
): Promise<FeatureExtractor> {
  const { artifacts, key } = await backboneArtifacts(spec, opts)
  try {
    if (spec.format === 'graph') return await fromGraph(spec, await tf.loadGraphModel(memoryHandler(artifacts)), key)
    return await fromLayers(spec, await tf.loadLayersModel(memoryHandler(artifacts)), key)
  } catch (err) {
    if (err instanceof TagsmithError) throw err
    throw new TagsmithError('BAD_INPUT', `cannot load backbone ${spec.id}: ${err instanceof Error ? err.message : String(err)}`)
  }
}

/**
 * A backbone's model files, in memory, and its feature cache key. Bundled models come from the
 * installed package, URL models from the download cache (downloading once), folders from disk.
 */
export async function backboneArtifacts(
  spec: BackboneSpec,
  opts: { cacheDir?: string; onProgress?: (p: DownloadProgress) => void; signal?: AbortSignal } = {},
): Promise<{ artifacts: tf.io.ModelArtifacts; key: string }> {
  let artifacts: tf.io.ModelArtifacts
  let contentHash: string | undefined
  if (spec.source === 'bundled') {
    if (!spec.bundled) throw new TagsmithError('BAD_INPUT', `bundled backbone ${spec.id} names no package`)
    artifacts = nsfwjsArtifacts(spec.bundled.package, spec.bundled.dir)
  } else if (spec.source === 'url') {
    const { dir } = await ensureBackboneDownloaded(spec, opts)
    artifacts = folderArtifacts(dir).artifacts
  } else {
    if (!spec.folder) throw new TagsmithError('BAD_INPUT', `backbone ${spec.id} names no folder`)
    const loaded = folderArtifacts(spec.folder)
    artifacts = loaded.artifacts
    contentHash = loaded.contentHash
  }
  return { artifacts, key: backboneKey(spec, contentHash) }
}
