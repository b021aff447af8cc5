import { explainFailure, type ImageFault } from './failure.ts'
import { openImage, type ImageLimits, type ImageSource } from './open.ts'

export type ProbeResult =
  | {
      ok: true
      /** As displayed, i.e. after EXIF orientation (a portrait photo stored sideways reports portrait). */
      width: number
      height: number
      /** sharp's decoder name: jpeg, png, webp, gif, tiff, heif, ... */
      format: string
    }
  | ({ ok: false } & ImageFault)

export interface ProbeOptions {
  limits?: ImageLimits
  /**
   * Decode the pixels too (default true). The header alone misses truncated files: a JPEG cut in
   * half still has a valid header. JPEGs decode at 1/8 scale here, so the check costs a few ms.
   */
  deep?: boolean
}

/** The deep check of an image file: never throws, says what is wrong when it is not usable. */
export async function probeImage(src: ImageSource, opts: ProbeOptions = {}): Promise<ProbeResult> {
  const limits = opts.limits ?? {}
  try {
    const image = openImage(src, limits)
    const meta = await image.metadata()
    if (opts.deep ?? true) {
      // Any small size: the point is that every byte of pixel data gets read and checked.
      await image.resize(32, 32, { fit: 'inside' }).raw().toBuffer()
    }
    return { ok: true, width: meta.autoOrient.width, height: meta.autoOrient.height, format: meta.format }
  } catch (err) {
    return { ok: false, ...(await explainFailure(err, src, limits)) }
  }
}
