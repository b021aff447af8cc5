// Converted backbones are kept on disk, keyed by what determines the output: backbone id, feature
// layers, input layout, converter version and the model's own content hash. A conversion takes a
// fraction of a second, but decoding the weights first is avoided entirely on a hit.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { defaultBackboneCacheDir } from '../backbones/download.ts'
import { CONVERTER_VERSION, convertBackbone, type ConvertOptions, type FeatureSlice, type InputLayout } from './convert.ts'
import { countMacs } from './flops.ts'
import type { LayersSource } from './layers-source.ts'

/** What a cached .onnx needs beside it to be used without reconverting. */
export interface ConversionMeta {
  converterVersion: number
  backboneId: string
  contentHash: string
  featureLayers: string[]
  inputLayout: InputLayout
  inputShape: { height: number; width: number; channels: number }
  featureLength: number
  slices: FeatureSlice[]
  /** multiply-accumulates per image */
  macs: number
}

export interface CachedBackbone {
  /** path of the .onnx file */
  modelPath: string
  meta: ConversionMeta
  fromCache: boolean
}

export interface CacheRequest extends ConvertOptions {
  backboneId: string
  /** identifies the model's topology and weights, e.g. hashModelArtifacts() */
  contentHash: string
  cacheDir?: string
}

export function defaultOnnxCacheDir(): string {
  return path.join(defaultBackboneCacheDir(), 'onnx')
}

export function cacheKey(req: CacheRequest): string {
  const parts = [req.backboneId, req.featureLayers.join('+'), req.inputLayout ?? 'NHWC', (req.inputSize ?? []).join('x'), CONVERTER_VERSION, req.contentHash]
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32)
}

/**
 * The converted backbone from the cache, or converted now (from `load()`, called only on a miss)
 * and stored. Files are written under temporary names and renamed, so a crash never leaves a torn
 * entry; the .json is written last and marks the entry complete.
 */
export function convertCached(req: CacheRequest, load: () => LayersSource): CachedBackbone {
  const dir = req.cacheDir ?? defaultOnnxCacheDir()
  const stem = `${req.backboneId.replace(/[^A-Za-z0-9._-]/g, '_')}-${cacheKey(req)}`
  const modelPath = path.join(dir, `${stem}.onnx`)
  const metaPath = path.join(dir, `${stem}.json`)
  const cached = readMeta(metaPath, modelPath)
  if (cached) return { modelPath, meta: cached, fromCache: true }

  const converted = convertBackbone(load(), req)
  const meta: ConversionMeta = {
    converterVersion: CONVERTER_VERSION,
    backboneId: req.backboneId,
    contentHash: req.contentHash,
    featureLayers: [...req.featureLayers],
    inputLayout: converted.inputLayout,
    inputShape: converted.inputShape,
    featureLength: converted.featureLength,
    slices: converted.slices,
    macs: countMacs(converted.model, converted.shapes).macs,
  }
  fs.mkdirSync(dir, { recursive: true })
  writeAtomic(modelPath, converted.bytes)
  writeAtomic(metaPath, JSON.stringify(meta, null, 2))
  return { modelPath, meta, fromCache: false }
}

function readMeta(metaPath: string, modelPath: string): ConversionMeta | null {
  try {
    const meta = JSON.parse(fs.readFileSync(metaPath, 'utf8')) as ConversionMeta
    if (meta.converterVersion !== CONVERTER_VERSION || !fs.existsSync(modelPath)) return null
    return meta
  } catch {
    return null
  }
}

function writeAtomic(file: string, data: Uint8Array | string): void {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`
  fs.writeFileSync(tmp, data)
  fs.renameSync(tmp, file)
}
