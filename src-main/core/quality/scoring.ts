// Label-error scores: how strongly a run's out-of-sample probabilities disagree with the stored 0/1 of
// each (image, label) pair, normalised per label so pairs of different labels compare.

/** A run's probabilities beside the stored values, both row-major rows x labels (run label order). */
export interface PairMatrix {
  rows: number
  labels: number
  probs: ArrayLike<number>
  /** 0, 1, or -1 for an empty cell (or a label the project lacks) */
  stored: Int8Array
  /** the run's current per-label thresholds */
  thresholds: readonly number[]
}

export interface ScoredPair {
  row: number
  label: number
  stored: 0 | 1
  probability: number
  /** higher: more likely mislabeled; comparable across labels */
  score: number
}

/**
 * 'margin': the distance from the run's threshold in logits, on the wrong side, divided by the label's
 * median distance over its stored pairs (how far from the threshold the label's calls usually sit).
 * 'confident-learning': the model's probability of the other value (1 - self-confidence) against that
 * value's per-label threshold in confident learning, the label's mean self-confidence over pairs stored
 * with the other value, as log(probability / threshold). 'self-confidence': the pair's self-confidence
 * (p for a stored 1, 1 - p for a stored 0) against the label's mean self-confidence over pairs stored
 * with the same value, as log(mean / self). 'raw': 1 - self-confidence, no normalisation (a baseline).
 *
 * Measured on apparel-mini with a seeded 5% of the colour cells flipped in train.csv and val.csv, after
 * the default training (bench/quality.ts; seeds 7 and 11), precision of the top k images (k = images with
 * a flip, 310 and 311) and of the top 50:
 *   margin 0.765 / 0.746, @50 0.86 / 0.94; raw 0.742 / 0.740, @50 0.84 / 0.92;
 *   self-confidence 0.719 / 0.704; confident-learning 0.600 / 0.595.
 * 'margin' is the default: best on both seeds, and it keeps a rare, weakly learned label's confident
 * errors above an easy label's ordinary mistakes (the unit test's hand-made case), which 'raw' does not.
 * Confident learning's per-value threshold lifts every call of a weakly learned label, so its plain
 * mistakes crowd the top; comparing with the pair's own value barely normalises, as most pairs agree.
 */
export type ScoreMethod = 'margin' | 'confident-learning' | 'self-confidence' | 'raw'
export const SCORE_METHODS: readonly ScoreMethod[] = ['margin', 'confident-learning', 'self-confidence', 'raw']
export const DEFAULT_METHOD: ScoreMethod = 'margin'

const EPS = 1e-6

const clamp = (p: number): number => Math.min(1 - EPS, Math.max(EPS, p))

export function logit(p: number): number {
  const q = clamp(p)
  return Math.log(q / (1 - q))
}

/** The model's view of a cell at the run's threshold. */
export const decision = (p: number, threshold: number): 0 | 1 => (p >= threshold ? 1 : 0)

/** Per stored value, a typical figure over one label's stored pairs (row order): [value]. */
function perValue(m: PairMatrix, j: number, figure: (p: number, y: 0 | 1) => number, reduce: (xs: number[]) => number): number[] {
  const buckets: [number[], number[]] = [[], []]
  for (let i = 0; i < m.rows; i++) {
    const y = m.stored[i * m.labels + j]
    if (y !== 0 && y !== 1) continue
    buckets[y].push(figure(m.probs[i * m.labels + j] ?? 0, y))
  }
  return buckets.map((xs) => (xs.length > 0 ? reduce(xs) : Number.NaN))
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length

function median(xs: Float64Array): number {
  const s = xs.slice().sort()
  const mid = s.length >> 1
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2
}

const selfConfidence = (p: number, y: 0 | 1): number => (y === 1 ? p : 1 - p)

type Scorer = (p: number, y: 0 | 1) => number

/** How one label's pairs are scored: a label's normalisation looks only at that label's stored pairs. */
function labelScorer(m: PairMatrix, method: ScoreMethod, j: number): Scorer {
  if (method === 'raw') return (p, y) => 1 - selfConfidence(p, y)
  if (method === 'confident-learning' || method === 'self-confidence') {
    const typical = perValue(m, j, selfConfidence, mean)
    // A label with no pair of the value compared with has no typical figure: compare with an even call.
    const typicalOf = (y: 0 | 1): number => {
      const t = typical[y]
      return t === undefined || Number.isNaN(t) ? 0.5 : t
    }
    if (method === 'confident-learning') {
      return (p, y) => Math.log(clamp(1 - selfConfidence(p, y))) - Math.log(clamp(typicalOf(y === 1 ? 0 : 1)))
    }
    return (p, y) => Math.log(clamp(typicalOf(y))) - Math.log(clamp(selfConfidence(p, y)))
  }
  const thresholdLogit = logit(m.thresholds[j] ?? 0.5)
  const distance = (p: number): number => logit(p) - thresholdLogit
  // One scale per label over both values: how far from its threshold the label's calls usually sit.
  const all = new Float64Array(m.rows)
  let n = 0
  for (let i = 0; i < m.rows; i++) {
    const y = m.stored[i * m.labels + j]
    if (y === 0 || y === 1) all[n++] = Math.abs(distance(m.probs[i * m.labels + j] ?? 0))
  }
  const spread = n > 0 ? Math.max(median(all.subarray(0, n)), EPS) : 1
  return (p, y) => (y === 1 ? -distance(p) : distance(p)) / spread
}

/** The suspect pairs of one label, by row: what changes when a cell of that label changes. */
export function labelSuspects(m: PairMatrix, method: ScoreMethod, j: number): ScoredPair[] {
  const score = labelScorer(m, method, j)
  const threshold = m.thresholds[j] ?? 0.5
  const out: ScoredPair[] = []
  for (let i = 0; i < m.rows; i++) {
    const y = m.stored[i * m.labels + j]
    if (y !== 0 && y !== 1) continue
    const p = m.probs[i * m.labels + j] ?? 0
    if (decision(p, threshold) === y) continue
    out.push({ row: i, label: j, stored: y, probability: p, score: score(p, y) })
  }
  return out
}

/** Every pair whose stored value the run's decision contradicts, scored; empty cells are never suspects. */
export function suspectPairs(m: PairMatrix, method: ScoreMethod = DEFAULT_METHOD): ScoredPair[] {
  const scores = Array.from({ length: m.labels }, (_, j) => labelScorer(m, method, j))
  const out: ScoredPair[] = []
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.labels; j++) {
      const y = m.stored[i * m.labels + j]
      if (y !== 0 && y !== 1) continue
      const p = m.probs[i * m.labels + j] ?? 0
      if (decision(p, m.thresholds[j] ?? 0.5) === y) continue
      out.push({ row: i, label: j, stored: y, probability: p, score: scores[j]?.(p, y) ?? 0 })
    }
  }
  return out
}

export interface RankedImage {
  row: number
  worst: ScoredPair
  /** the image's other suspect pairs, most suspect first */
  others: ScoredPair[]
}

const byScore = (a: ScoredPair, b: ScoredPair): number => b.score - a.score || a.label - b.label

/** Images by their worst pair, most suspect first; ties by row. */
export function rankImages(pairs: readonly ScoredPair[]): RankedImage[] {
  const byRow = new Map<number, ScoredPair[]>()
  for (const p of pairs) {
    const list = byRow.get(p.row)
    if (list) list.push(p)
    else byRow.set(p.row, [p])
  }
  const ranked: RankedImage[] = []
  for (const [row, list] of byRow) {
    list.sort(byScore)
    const [worst, ...others] = list
    if (worst) ranked.push({ row, worst, others })
  }
  return ranked.sort((a, b) => b.worst.score - a.worst.score || a.row - b.row)
}
