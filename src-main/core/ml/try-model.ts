// A stored run opened to label images that are not in the project: the run's backbone(s) loaded once,
// then each image goes decode -> features (every part, joined in the cache's order) -> the run's head.
// The features are computed exactly as extraction computes them for the cache (same decode, normalisation
// and colour statistics), so an image scores here as it would inside the project.
import { TagsmithError } from '../errors.ts'
import { decodeRgb, normalise } from '../images/decode.ts'
import { ImageError } from '../images/failure.ts'
import { DEFAULT_MAX_PIXELS } from '../images/open.ts'
import { chooseEngine, initEngineBackend, openBackbone } from './backbones/engine-choice.ts'
import type { FeatureExtractor } from './backbones/load.ts'
import { specOfStored } from './backbones/presets.ts'
import { featureKeyOf, primaryOf } from './feature-parts.ts'
import { predictProbabilities, type HeadWeights } from './head.ts'
import type { EngineName } from './onnx/engines.ts'
import { colourDesign } from './parts/colour-designs.ts'
import { computeColourStatistics, type ColourDesign } from './parts/colour-statistics.ts'
import type { RunBackbone } from './runs.ts'

/** The largest image file tried (bytes): the web socket carries up to 64 MB, base64 adds a third. */
export const TRY_MAX_BYTES = 40 * 1024 * 1024
/** Larger images are refused before decoding, as everywhere in the app (a decompression bomb). */
export const TRY_MAX_PIXELS = DEFAULT_MAX_PIXELS

/** What a run needs to label new images: its features' recipe and its head. */
export interface TryRun {
  id: number
  backbone: RunBackbone
  head: HeadWeights
}

/** Milliseconds spent on one image, per step. */
export interface TryTimings {
  decode: number
  features: number
  head: number
}

export type TryOutcome = { name: string; probs: Float32Array; timings: TryTimings } | { name: string; error: { code: string; message: string } }

export interface TryModel {
  runId: number
  engine: EngineName
  /** ms to load the backbone(s) and the head */
  loadMs: number
  predict(name: string, bytes: Uint8Array): Promise<TryOutcome>
  dispose(): void
}

interface Part {
  extractor: FeatureExtractor
  size: number
}

/** Opens a run's backbone(s) on the engine extraction would choose. */
export async function openTryModel(run: TryRun, opts: { cacheDir?: string; engine?: EngineName } = {}): Promise<TryModel> {
  const started = performance.now()
  const spec = specOfStored(run.backbone)
  // A catalog model changed since the run would give other features than the head learnt from.
  if (spec.source !== 'folder' && featureKeyOf(spec) !== run.backbone.key) {
    throw new TagsmithError('CONFLICT', `backbone ${run.backbone.id} changed since run ${run.id}: train again to try images`)
  }
  const engine = opts.engine ?? (await chooseEngine(spec))
  await initEngineBackend(engine)
  const parts: Part[] = []
  let used: EngineName | undefined
  try {
    for (const s of [primaryOf(spec), ...(spec.also ?? [])]) {
      const opened = await openBackbone(s, engine, { cacheDir: opts.cacheDir })
      used ??= opened.engine
      parts.push({ extractor: opened.extractor, size: opened.extractor.inputSize })
    }
  } catch (err) {
    for (const p of parts) p.extractor.dispose()
    throw err
  }
  const colour = spec.colour ? colourDesign(spec.colour).design : null
  const model: TryModel = {
    runId: run.id,
    engine: used ?? engine,
    loadMs: 0,
    predict: (name, bytes) => predictOne(parts, colour, run.head, name, bytes),
    dispose: () => parts.forEach((p) => p.extractor.dispose()),
  }
  // A first image through every part and the head: kernels compile now, not on the user's first image.
  await warmUp(parts)
  predictProbabilities(run.head, new Float32Array(run.head.dim), 1)
  model.loadMs = performance.now() - started
  return model
}

async function warmUp(parts: readonly Part[]): Promise<void> {
  for (const p of parts) await p.extractor.extract(new Float32Array(p.size * p.size * 3), 1)
}

async function predictOne(parts: readonly Part[], colour: ColourDesign | null, head: HeadWeights, name: string, bytes: Uint8Array): Promise<TryOutcome> {
  if (bytes.byteLength > TRY_MAX_BYTES) {
    return { name, error: { code: 'BAD_INPUT', message: `${name}: ${mb(bytes.byteLength)} MB, above the limit of ${mb(TRY_MAX_BYTES)} MB for an image to try` } }
  }
  const src = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const t0 = performance.now()
  let decoded: Uint8Array[]
  try {
    // Each part at its own input size, as extraction decodes it (the primary's pixels feed the colour part too).
    decoded = await Promise.all(parts.map((p) => decodeRgb(src, { size: p.size, limits: { maxPixels: TRY_MAX_PIXELS } })))
  } catch (err) {
    if (err instanceof ImageError) return { name, error: { code: 'BAD_INPUT', message: `${name}: ${err.fault.reason}` } }
    throw err
  }
  const t1 = performance.now()
  const pieces: Float32Array[] = []
  for (const [i, p] of parts.entries()) {
    const rgb = decoded[i] as Uint8Array
    pieces.push(await p.extractor.extract(normalise(rgb, p.extractor.spec.normalisation), 1))
    if (i === 0 && colour) pieces.push(computeColourStatistics(rgb, p.size, colour))
  }
  const x = join(pieces)
  if (x.length !== head.dim) throw new TagsmithError('CONFLICT', `the features of this run's backbone have ${x.length} values; its head takes ${head.dim}`)
  const t2 = performance.now()
  const probs = predictProbabilities(head, x, 1)
  const t3 = performance.now()
  return { name, probs, timings: { decode: t1 - t0, features: t2 - t1, head: t3 - t2 } }
}

function join(pieces: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(pieces.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of pieces) {
    out.set(p, at)
    at += p.length
  }
  return out
}

function mb(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1)
}
