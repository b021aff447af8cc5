import type { Filter } from './filter.ts'

const PREDICTION_TEXT: Record<NonNullable<Filter['prediction']>, string> = {
  disagrees: 'disagrees',
  uncertain: 'uncertain',
  'confident-wrong': 'confident & wrong',
}

/**
 * A filter in a few words, for the Back button's title: "black, not shoes, val". Shown images say what they
 * are (their note); no filter at all is "all images".
 */
export function describeFilter(f: Filter): string {
  if (f.ids !== undefined || f.group !== undefined) return f.idsNote ?? 'chosen images'
  const parts: string[] = []
  for (const [label, state] of Object.entries(f.labels)) parts.push(state === 'has' ? label : `not ${label}`)
  parts.push(...f.splits, ...f.statuses)
  if (f.edited !== 'any') parts.push(f.edited)
  if (f.violations) parts.push('group violations')
  if (f.prediction !== undefined) parts.push(PREDICTION_TEXT[f.prediction])
  if (f.search.trim() !== '') parts.push(`“${f.search.trim()}”`)
  return parts.length === 0 ? 'all images' : parts.join(', ')
}

/** Whether two filters show the same images (the Back history skips repeats). */
export function sameFilter(a: Filter, b: Filter): boolean {
  return a === b || canonical(a) === canonical(b)
}

// Label states in name order: a filter built in another click order is the same filter.
function canonical(f: Filter): string {
  const labels = Object.entries(f.labels).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
  return JSON.stringify({ ...f, labels, splits: [...f.splits].sort(), statuses: [...f.statuses].sort() })
}
