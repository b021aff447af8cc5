// Which engine runs a backbone for feature extraction, and opening the backbone on it. ONNX Runtime
// and TF.js give the same features under the same cache key, so either may fill the cache.
import path from 'node:path'
import { TagsmithError } from '../../errors.ts'
import { initBackend, type BackendInfo, type BackendName } from '../backend.ts'
import { openOnnxBackbone } from '../onnx/backbone.ts'
import { listEngines, pickEngine, type EngineName, type EngineProbe } from '../onnx/engines.ts'
import { tf } from '../tf.ts'
import { folderArtifacts, nsfwjsArtifacts } from './artifacts.ts'
import type { BackboneSpec } from './catalog.ts'
import { ensureBackboneDownloaded, type DownloadProgress } from './download.ts'
import { backboneKey, loadBackbone, type FeatureExtractor } from './load.ts'

/** The TF.js backends each TF.js engine may use, fastest first. */
const TFJS_BACKENDS: Record<Exclude<EngineName, 'onnx'>, BackendName[]> = {
  'tfjs-node': ['tensorflow-gpu', 'tensorflow'],
  wasm: ['wasm'],
  cpu: ['cpu'],
}

/** The fastest TF.js engine that works here (plain JavaScript always does). */
function fastestTfjs(engines: Awaited<ReturnType<typeof listEngines>>): EngineName {
  return engines.find((e) => e.name !== 'onnx' && e.available)?.name ?? 'cpu'
}

/**
 * The engine for a backbone: `requested` (or TAGSMITH_ENGINE) if given, 'tfjs' meaning the fastest
 * TF.js one, else the fastest available. ONNX converts layers models only, so a graph model picked
 * by default goes to the fastest TF.js engine.
 */
export async function chooseEngine(
  spec: BackboneSpec,
  requested?: string,
  probes: Partial<Record<EngineName, EngineProbe>> = {},
): Promise<EngineName> {
  const wanted = requested ?? process.env.TAGSMITH_ENGINE ?? ''
  if (wanted === 'tfjs') return fastestTfjs(await listEngines(probes))
  const { chosen, engines } = await pickEngine(wanted === '' ? undefined : wanted, probes)
  if (chosen.name !== 'onnx' || spec.format === 'layers' || wanted !== '') return chosen.name
  return fastestTfjs(engines)
}

/** ONNX Runtime threads over every core in one process; TF.js on WASM or in JavaScript uses one core per process. */
export function extractProcessesFor(engine: EngineName, perCore: number): number {
  return engine === 'onnx' || engine === 'tfjs-node' ? 1 : perCore
}

/** Initialises TF.js on a backend the engine allows (none named, or ONNX, which falls back to TF.js: any). */
export function initEngineBackend(engine?: EngineName): Promise<BackendInfo> {
  return engine === undefined || engine === 'onnx' ? initBackend() : initBackend({ only: TFJS_BACKENDS[engine] })
}

/** A model's files for the ONNX converter, as the TF.js loader reads them, and its feature cache key. */
async function layersArtifacts(
  spec: BackboneSpec,
  opts: { cacheDir?: string; onProgress?: (p: DownloadProgress) => void; signal?: AbortSignal },
): Promise<{ artifacts: ReturnType<typeof nsfwjsArtifacts>; key: string }> {
  if (spec.source === 'bundled') {
    if (!spec.bundled) throw new TagsmithError('BAD_INPUT', `bundled backbone ${spec.id} names no package`)
    return { artifacts: nsfwjsArtifacts(spec.bundled.package, spec.bundled.dir), key: backboneKey(spec) }
  }
  if (spec.source === 'url') {
    const { dir } = await ensureBackboneDownloaded(spec, opts)
    return { artifacts: folderArtifacts(dir).artifacts, key: backboneKey(spec) }
  }
  if (!spec.folder) throw new TagsmithError('BAD_INPUT', `backbone ${spec.id} names no folder`)
  const loaded = folderArtifacts(spec.folder)
  return { artifacts: loaded.artifacts, key: backboneKey(spec, loaded.contentHash) }
}

/**
 * Opens the backbone on `engine` (none named: TF.js on its initialised backend). When ONNX cannot take it (a graph model, a layer the converter does
 * not know, a runtime that fails to load it) the TF.js loader opens it instead; `engine` in the answer
 * says which ran.
 */
export async function openBackbone(
  spec: BackboneSpec,
  engine: EngineName | undefined,
  opts: { cacheDir?: string; onProgress?: (p: DownloadProgress) => void; signal?: AbortSignal } = {},
): Promise<{ extractor: FeatureExtractor; engine: EngineName }> {
  if (engine === 'onnx' && spec.format === 'layers') {
    try {
      const { artifacts, key } = await layersArtifacts(spec, opts)
      // Converted models live beside the downloaded ones.
      const cacheDir = opts.cacheDir ? path.join(opts.cacheDir, 'onnx') : undefined
      return { extractor: await openOnnxBackbone({ spec, key, artifacts, ...(cacheDir ? { cacheDir } : {}) }), engine: 'onnx' }
    } catch (err) {
      if (!(err instanceof TagsmithError) || err.code !== 'UNAVAILABLE') throw err
    }
  }
  const extractor = await loadBackbone(spec, opts)
  const backend = tf.getBackend()
  return { extractor, engine: backend === 'tensorflow' ? 'tfjs-node' : backend === 'wasm' ? 'wasm' : 'cpu' }
}
