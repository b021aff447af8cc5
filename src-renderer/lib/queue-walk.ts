import type { Suspect, SuspectQueue, UncertainItem } from '../../src-preload/contract.ts'

/** Images asked for per queue: more than a session reviews, few enough to answer at once. */
export const QUEUE_LIMIT = 500

/**
 * The label-error queue as the user walks it: images in ranked order, each with its pairs still to review
 * (worst first), and the image shown. Steps return a new walk, so a shallowRef holding it updates views.
 */
export interface SuspectWalk {
  readonly images: readonly number[]
  readonly pairs: ReadonlyMap<number, readonly Suspect[]>
  readonly at: number
}

export function suspectWalk(queue: SuspectQueue): SuspectWalk {
  const pairs = new Map<number, Suspect[]>()
  for (const s of queue.suspects) {
    const rest = (queue.others[s.imageId] ?? []).filter((o) => o.label !== s.label)
    pairs.set(s.imageId, [s, ...rest.sort((a, b) => b.score - a.score)])
  }
  return { images: queue.suspects.map((s) => s.imageId), pairs, at: 0 }
}

/** The pair on screen: the worst pair left of the image at `at`; null once the walk is past its end. */
export function currentPair(walk: SuspectWalk): Suspect | null {
  const id = walk.images[walk.at]
  return id === undefined ? null : (walk.pairs.get(id)?.[0] ?? null)
}

/** After accept or keep: the image's next pair, or the next image when none is left. */
export function afterReview(walk: SuspectWalk): SuspectWalk {
  const id = walk.images[walk.at]
  if (id === undefined) return walk
  const left = (walk.pairs.get(id) ?? []).slice(1)
  const pairs = new Map(walk.pairs)
  pairs.set(id, left)
  return { images: walk.images, pairs, at: left.length > 0 ? walk.at : walk.at + 1 }
}

/** Skip: the next image, whatever pairs of this one are left (they stay unreviewed). */
export function afterSkip(walk: SuspectWalk): SuspectWalk {
  return walk.at < walk.images.length ? { ...walk, at: walk.at + 1 } : walk
}

/** An accepted pair whose edit was undone: it is asked again, now. */
export function restorePair(walk: SuspectWalk, pair: Suspect): SuspectWalk {
  const pairs = new Map(walk.pairs)
  const list = (pairs.get(pair.imageId) ?? []).filter((p) => p.label !== pair.label)
  pairs.set(pair.imageId, [pair, ...list])
  let at = walk.images.indexOf(pair.imageId)
  let images = walk.images
  if (at < 0) {
    at = Math.min(walk.at, images.length)
    images = [...images.slice(0, at), pair.imageId, ...images.slice(at)]
  }
  return { images, pairs, at }
}

/** Where a queue's walk is, e.g. "3 / 120"; past the end it stays on the last image's number. */
export function walkPosition(at: number, length: number): string {
  return `${Math.min(at + 1, length)} / ${length}`
}

/** The value the model's view stores: the other one. */
export function modelValue(s: Suspect): 0 | 1 {
  return s.stored === 1 ? 0 : 1
}

/** What the editor shows beside the suspected label, e.g. "model says 0.94 → 1, stored 0". */
export function suspectNote(s: Suspect): string {
  return `model says ${s.probability.toFixed(2)} → ${modelValue(s)}, stored ${s.stored}`
}

/** What the editor shows beside the label the model is least sure of. */
export function uncertainNote(item: UncertainItem): string | null {
  if (item.probability === null || item.threshold === null) return null
  return `model says ${item.probability.toFixed(2)}, threshold ${item.threshold.toFixed(2)}`
}
