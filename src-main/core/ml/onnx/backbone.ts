// A backbone on ONNX Runtime behind the same FeatureExtractor interface the TF.js backbones have:
// same input (normalised HWC pixels), same pooled and concatenated output, same cache key, so
// features cached by one engine are used by the other.
import { TagsmithError } from '../../errors.ts'
import type { BackboneSpec } from '../backbones/catalog.ts'
import type { FeatureExtractor } from '../backbones/load.ts'
import { convertCached, type CachedBackbone } from './cache.ts'
import { openOnnxExtractor, type BatchFeatureExtractor, type OnnxEngineOptions } from './engine.ts'
import { hashModelArtifacts, sourceFromModelArtifacts, type ModelArtifactsLike } from './layers-source.ts'

export interface OnnxBackboneRequest {
  spec: BackboneSpec
  /** the feature cache key the TF.js loader gives this backbone (backboneKey(spec, contentHash)) */
  key: string
  /** the model's artifacts as loaded for TF.js */
  artifacts: ModelArtifactsLike
  /** where converted models are kept (default: the per-user cache folder) */
  cacheDir?: string
  engine?: OnnxEngineOptions
}

export interface OnnxBackbone extends FeatureExtractor {
  engine: BatchFeatureExtractor
  conversion: CachedBackbone
}

/** Converts (or takes from the cache) and opens a layers-format backbone; graph models are refused. */
export async function openOnnxBackbone(req: OnnxBackboneRequest): Promise<OnnxBackbone> {
  const { spec } = req
  if (spec.format !== 'layers') {
    throw new TagsmithError('UNAVAILABLE', `backbone ${spec.id} is a TF.js graph model; the ONNX engine converts layers models only`)
  }
  const conversion = convertCached(
    {
      backboneId: spec.id,
      contentHash: hashModelArtifacts(req.artifacts),
      featureLayers: spec.featureLayers,
      inputLayout: 'NHWC',
      inputSize: [spec.inputSize, spec.inputSize],
      ...(req.cacheDir ? { cacheDir: req.cacheDir } : {}),
    },
    () => sourceFromModelArtifacts(req.artifacts),
  )
  const { meta } = conversion
  if (meta.inputShape.height !== spec.inputSize || meta.inputShape.width !== spec.inputSize || meta.inputShape.channels !== 3) {
    const s = meta.inputShape
    throw new TagsmithError('BAD_INPUT', `backbone ${spec.id}: the model takes ${s.height}×${s.width}×${s.channels} images, the catalog says ${spec.inputSize}×${spec.inputSize}×3`)
  }
  const engine = await openOnnxExtractor(
    { model: conversion.modelPath, inputShape: meta.inputShape, inputLayout: meta.inputLayout, featureLength: meta.featureLength },
    req.engine,
  )
  return {
    spec,
    key: req.key,
    dim: meta.featureLength,
    inputSize: spec.inputSize,
    engine,
    conversion,
    extract: (pixels, n, opts) => engine.run(pixels, n, opts),
    dispose() {
      void engine.dispose()
    },
  }
}
