import { describeSource, explainFailure, ImageError } from './failure.ts'
import { openImage, type ImageLimits, type ImageSource } from './open.ts'

/**
 * Bump when the pixels decodeRgb produces for the same file and options change (resampling
 * kernel, colour handling, orientation...): cached model features are keyed by it.
 */
export const DECODE_PIPELINE_VERSION = 1

/**
 * How the image is brought to a square model input:
 * - 'fill' (default): squash to size×size, aspect ratio not kept, nothing cropped. This is what the
 *   nsfwjs MobileNetV2 was trained with (a plain bilinear resize of the whole image).
 * - 'cover': scale the short side to size and crop the centre.
 * - 'contain': scale the long side to size and pad with white.
 */
export type ModelFit = 'fill' | 'cover' | 'contain'

/** value = byte * scale + offset, or (byte / 255 - mean[c]) / std[c] per RGB channel. */
export type Normalisation =
  | { scale: number; offset: number }
  | { mean: readonly [number, number, number]; std: readonly [number, number, number] }

/** Bytes 0..255 to 0..1, the range the nsfwjs MobileNetV2 expects. */
export const UNIT_RANGE: Normalisation = { scale: 1 / 255, offset: 0 }

export interface DecodeOptions {
  /** Side of the square output (default 224). */
  size?: number
  fit?: ModelFit
  limits?: ImageLimits
}

export interface ModelInputOptions extends DecodeOptions {
  normalisation?: Normalisation
}

const WHITE = { r: 255, g: 255, b: 255 }

/**
 * Decodes an image to size×size×3 sRGB bytes, row-major HWC: EXIF orientation applied, alpha
 * flattened onto white, greyscale/CMYK/16-bit converted, first frame of an animation. Throws
 * ImageError (BAD_INPUT) naming the file when it cannot.
 */
export async function decodeRgb(src: ImageSource, opts: DecodeOptions = {}): Promise<Uint8Array> {
  const size = opts.size ?? 224
  if (!Number.isInteger(size) || size < 1 || size > 4096) {
    throw new RangeError(`model input size must be an integer from 1 to 4096, got ${size}`)
  }
  const limits = opts.limits ?? {}
  try {
    const { data, info } = await openImage(src, limits)
      .resize(size, size, { fit: opts.fit ?? 'fill', position: 'centre', background: WHITE })
      .flatten({ background: WHITE })
      .toColourspace('srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true })
    if (info.width !== size || info.height !== size || info.channels !== 3) {
      throw new Error(`decoder returned ${info.width}×${info.height}×${info.channels}, expected ${size}×${size}×3`)
    }
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  } catch (err) {
    throw new ImageError(describeSource(src), await explainFailure(err, src, limits))
  }
}

/** Decodes and normalises: a Float32Array of size×size×3 (HWC RGB) ready for a tensor. */
export async function decodeForModel(src: ImageSource, opts: ModelInputOptions = {}): Promise<Float32Array> {
  return normalise(await decodeRgb(src, opts), opts.normalisation ?? UNIT_RANGE)
}

/**
 * Maps HWC RGB bytes to floats. `out` lets a caller fill one slot of a batch buffer
 * (e.g. batch.subarray(i * n, (i + 1) * n)) without an extra copy.
 */
export function normalise(rgb: Uint8Array, n: Normalisation, out: Float32Array = new Float32Array(rgb.length)): Float32Array {
  if (rgb.length % 3 !== 0) throw new RangeError(`RGB data length ${rgb.length} is not a multiple of 3`)
  if (out.length !== rgb.length) throw new RangeError(`output length ${out.length} differs from input ${rgb.length}`)
  // Per channel: value = byte * a[c] + b[c].
  const a = [0, 0, 0]
  const b = [0, 0, 0]
  for (let c = 0; c < 3; c++) {
    if ('scale' in n) {
      a[c] = n.scale
      b[c] = n.offset
    } else {
      const std = n.std[c] ?? 1
      if (std === 0) throw new RangeError('normalisation std must not be 0')
      a[c] = 1 / (255 * std)
      b[c] = -(n.mean[c] ?? 0) / std
    }
  }
  const [a0 = 0, a1 = 0, a2 = 0] = a
  const [b0 = 0, b1 = 0, b2 = 0] = b
  for (let i = 0; i < rgb.length; i += 3) {
    out[i] = (rgb[i] ?? 0) * a0 + b0
    out[i + 1] = (rgb[i + 1] ?? 0) * a1 + b1
    out[i + 2] = (rgb[i + 2] ?? 0) * a2 + b2
  }
  return out
}
