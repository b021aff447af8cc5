// The wording of suggested label groups, the same on the command line and in the app.

export interface SuggestionFigures {
  labels: readonly string[]
  support: number
  violations: number
}

const count = (n: number, one: string, many: string): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`

/** "black · blue · brown: 11,385 images, 0 violations" */
export function suggestionLine(s: SuggestionFigures): string {
  return `${s.labels.join(' · ')}: ${count(s.support, 'image', 'images')}, ${count(s.violations, 'violation', 'violations')}`
}

/** What a suggestion claims, with the share of label errors it tolerates. */
export function suggestionRule(tolerance: number, minSupport: number): string {
  const pct = `${Number((tolerance * 100).toFixed(2))} %`
  return (
    `exactly one label of the group is set on each image with all of its cells filled; up to ${pct} of ` +
    `those images may break it, for label errors, and at least ${minSupport.toLocaleString('en-US')} are needed`
  )
}
