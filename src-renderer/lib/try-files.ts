// The Try panel's files: which ones are images to send, their bytes as base64, and the rule a row is
// decided by. Pure, so the store and its tests share them.
import { decideLabels } from '../../src-shared/label-decisions.ts'
import { groupColumns } from './prediction-data.ts'

/** The largest file sent (the service refuses larger ones by name too; the web socket carries 64 MB). */
export const TRY_MAX_BYTES = 40 * 1024 * 1024

/** Why a file is not sent, naming it; null when it may be. */
export function refusal(file: { name: string; size: number }): string | null {
  if (file.size > TRY_MAX_BYTES) {
    return `${file.name}: ${(file.size / (1024 * 1024)).toFixed(1)} MB, above the limit of ${TRY_MAX_BYTES / (1024 * 1024)} MB for an image to try`
  }
  return null
}

/** Base64 of bytes, in slices (one String.fromCharCode call per 32 KB keeps the stack small). */
export function toBase64(bytes: Uint8Array): string {
  const SLICE = 0x8000
  let text = ''
  for (let i = 0; i < bytes.length; i += SLICE) text += String.fromCharCode(...bytes.subarray(i, i + SLICE))
  return btoa(text)
}

/** Files pasted or dropped that are images, by type or, when the platform gives none, by name. */
export function imageFiles(files: Iterable<File>): File[] {
  return [...files].filter((f) => f.type.startsWith('image/') || (f.type === '' && /\.(jpe?g|png|gif|webp|tiff?|avif|heic|bmp)$/i.test(f.name)))
}

/** A tried image's decisions as the Predictions panel decides: the same thresholds, groups and rule. */
export function rowDecisions(
  probs: readonly number[],
  labels: readonly string[],
  thresholds: ArrayLike<number>,
  groups: readonly (readonly string[])[],
  decodeGroups: boolean,
): Uint8Array {
  return decideLabels(probs, 1, labels.length, thresholds, groupColumns(labels, groups), decodeGroups)
}
