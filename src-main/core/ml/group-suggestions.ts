// Suggested label groups: the maximal sets of two or more labels of which exactly one is 1 on (almost)
// every image that has all of their cells filled. Two labels of such a group are (almost) never both 1,
// so candidates are the maximal cliques of that graph; each is then checked for exactly one per image,
// and when it fails, its member whose removal mends the most images is dropped until it passes or
// nothing more helps. Empty cells are ignored: an image counts for a set only when all its cells are
// filled. Pure over the label rows.
import type { GroupSuggestion, GroupSuggestions, LabelValue } from '../../../src-preload/contract.ts'
import { countColumn, labelBits, popcount, type LabelBits } from './label-bits.ts'
import { maximalCliques } from './maximal-cliques.ts'

/** Label errors happen: a suggestion may be broken by at most this share of its supporting images. */
export const SUGGEST_TOLERANCE = 0.01
/** Below this many supporting images, a partition of the images by a few labels can be chance. */
export const SUGGEST_MIN_SUPPORT = 50
/** A member must be the only one set on at least this many supporting images: a label that is (almost)
 *  never 1, or 1 only beside another member, would otherwise fit into a group. */
export const SUGGEST_MIN_POSITIVES = 5
/** Two members are both 1 only through label errors: on at most this share of the rarer one's 1s.
 *  Independent labels pass this only when the commoner is rarely 1, which keeps the cliques few. */
const PAIR_SHARE = 0.1
/** Bounds the clique search on odd label structures (hundreds of labels that rarely co-occur). */
const MAX_CLIQUES = 5_000

/** The violating images a suggestion with this support may have. */
export function allowedViolations(support: number): number {
  return Math.floor(support * SUGGEST_TOLERANCE)
}

interface SetCheck {
  members: number[]
  support: number
  violations: number
  /** supporting images on which no member is 1: no subset of the set mends them */
  uncovered: number
  /** the fewest supporting images on which one member is the only 1 */
  fewest: number
  rarest: number
}

/**
 * Suggestions for a project's labels and label rows (one value per label, in label order). Sets
 * overlapping a declared group are not offered.
 */
export function suggestGroups(
  labels: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<LabelValue>>,
  declared: ReadonlyArray<ReadonlyArray<string>> = [],
): GroupSuggestions {
  const bits = labelBits(rows, labels.length)
  const adjacent = exclusiveLabels(bits)
  const { cliques } = maximalCliques(adjacent, { minSize: 2, limit: MAX_CLIQUES })

  const passing = new Map<string, SetCheck>()
  for (const clique of cliques) {
    const found = mend(bits, clique)
    if (found !== null) passing.set(found.members.join(','), found)
  }
  const found = [...passing.values()]
  // A set found by mending one clique can sit inside a set found from another: only maximal ones count.
  const maximal = found.filter((a) => !found.some((b) => b !== a && b.members.length > a.members.length && a.members.every((m) => b.members.includes(m))))

  const taken = new Set(declared.flat())
  const suggestions: GroupSuggestion[] = maximal
    .filter((c) => c.members.every((m) => !taken.has(labels[m] as string)))
    .sort((a, b) => b.support - a.support || b.members.length - a.members.length || (a.members[0] as number) - (b.members[0] as number))
    .map((c) => ({ labels: c.members.map((m) => labels[m] as string), support: c.support, violations: c.violations }))
  return { suggestions, tolerance: SUGGEST_TOLERANCE, minSupport: SUGGEST_MIN_SUPPORT }
}

/**
 * The groups with the suggestions added, in order; a suggestion overlapping a group already there
 * (declared, or a suggestion taken before it) is left out.
 */
export function withSuggestions(declared: ReadonlyArray<ReadonlyArray<string>>, suggestions: readonly GroupSuggestion[]): string[][] {
  const groups = declared.map((g) => [...g])
  const taken = new Set(groups.flat())
  for (const s of suggestions) {
    if (s.labels.some((l) => taken.has(l))) continue
    groups.push([...s.labels])
    for (const l of s.labels) taken.add(l)
  }
  return groups
}

/**
 * Per label, the labels it is (almost) never 1 together with: among the images with both cells filled
 * (at least the minimum support), both are 1 on at most the tolerated share, and on at most PAIR_SHARE
 * of the rarer label's 1s. Labels 1 on fewer images than a member needs have no neighbours.
 */
function exclusiveLabels(bits: LabelBits): Set<number>[] {
  const { words, ones, filled } = bits
  const adjacent = Array.from({ length: bits.labels }, () => new Set<number>())
  const positives = Array.from({ length: bits.labels }, (_, j) => countColumn(ones, j * words, words))
  // Columns without an empty cell (the usual case) need no count of the images both have filled.
  const full = Array.from({ length: bits.labels }, (_, j) => countColumn(filled, j * words, words) === bits.images)
  const eligible: number[] = []
  for (let j = 0; j < bits.labels; j++) if ((positives[j] as number) >= SUGGEST_MIN_POSITIVES) eligible.push(j)
  for (let x = 0; x < eligible.length; x++) {
    const a = eligible[x] as number
    for (let y = x + 1; y < eligible.length; y++) {
      const b = eligible[y] as number
      let both = bits.images
      let bothOnes = 0
      if (!full[a] || !full[b]) {
        both = 0
        for (let w = 0; w < words; w++) both += popcount((filled[a * words + w] as number) & (filled[b * words + w] as number))
      }
      for (let w = 0; w < words; w++) bothOnes += popcount((ones[a * words + w] as number) & (ones[b * words + w] as number))
      const rarer = Math.min(positives[a] as number, positives[b] as number)
      if (both >= SUGGEST_MIN_SUPPORT && bothOnes <= allowedViolations(both) && bothOnes <= PAIR_SHARE * rarer) {
        adjacent[a]?.add(b)
        adjacent[b]?.add(a)
      }
    }
  }
  return adjacent
}

function passes(c: SetCheck): boolean {
  return c.members.length >= 2 && c.support >= SUGGEST_MIN_SUPPORT && c.violations <= allowedViolations(c.support) && c.fewest >= SUGGEST_MIN_POSITIVES
}

/** The clique if it passes, else the largest passing subset greedy removal reaches, else null. */
function mend(bits: LabelBits, clique: readonly number[]): SetCheck | null {
  let members = [...clique]
  while (members.length >= 2) {
    const c = checkSet(bits, members)
    if (passes(c)) return c
    // Dropping members only leaves more images without a 1 (and can add at most the other images).
    if (c.support < SUGGEST_MIN_SUPPORT || c.uncovered > allowedViolations(bits.images)) return null
    const drop = c.fewest < SUGGEST_MIN_POSITIVES ? c.rarest : mostMending(bits, members)
    if (drop === null) return null
    members = members.filter((m) => m !== drop)
  }
  return null
}

/** Support, violations and the member that is the only 1 on the fewest images, of a set of labels. */
function checkSet(bits: LabelBits, members: readonly number[]): SetCheck {
  const { words, ones, filled } = bits
  let support = 0
  let violations = 0
  let uncovered = 0
  const perMember = new Array<number>(members.length).fill(0)
  for (let w = 0; w < words; w++) {
    let all = 0xffffffff
    for (const m of members) all &= filled[m * words + w] as number
    if (all === 0) continue
    // Bits of the images with exactly one 1 so far, and with more.
    let one = 0
    let many = 0
    for (const m of members) {
      const x = (ones[m * words + w] as number) & all
      many |= one & x
      one = (one | x) & ~many
    }
    uncovered += popcount(all & ~one & ~many)
    members.forEach((m, k) => {
      perMember[k] = (perMember[k] as number) + popcount((ones[m * words + w] as number) & one)
    })
    support += popcount(all)
    violations += popcount(all & ~one)
  }
  let rarest = 0
  perMember.forEach((n, k) => {
    if (n < (perMember[rarest] as number)) rarest = k
  })
  return { members: [...members], support, violations, uncovered, fewest: perMember[rarest] ?? 0, rarest: members[rarest] as number }
}

/**
 * The member whose removal mends the most violating images of the set (an image with two 1s loses one)
 * less the images it breaks (its 1 was the only one), counted on the set's supporting images; null when
 * no removal would leave fewer violations.
 */
function mostMending(bits: LabelBits, members: readonly number[]): number | null {
  const { words, ones, filled } = bits
  const gain = new Array<number>(members.length).fill(0)
  for (let w = 0; w < words; w++) {
    let all = 0xffffffff
    for (const m of members) all &= filled[m * words + w] as number
    if (all === 0) continue
    // Counters of 1s per image, saturating at three: at least one, two, three.
    let c1 = 0
    let c2 = 0
    let c3 = 0
    for (const m of members) {
      const x = (ones[m * words + w] as number) & all
      c3 |= c2 & x
      c2 |= c1 & x
      c1 |= x
    }
    const exactlyOne = c1 & ~c2
    const exactlyTwo = c2 & ~c3
    members.forEach((m, k) => {
      const x = ones[m * words + w] as number
      gain[k] = (gain[k] as number) + popcount(x & exactlyTwo) - popcount(x & exactlyOne)
    })
  }
  let best = 0
  gain.forEach((g, k) => {
    if (g > (gain[best] as number)) best = k
  })
  return (gain[best] as number) > 0 ? (members[best] as number) : null
}
