import type { Suspect, UncertainItem } from '../../src-preload/contract.ts'

/** File names up to this many characters are shown whole; longer ones (content hashes) lose their middle. */
const NAME_MAX = 20

/**
 * A long file name with its middle left out, its start and extension kept: "0a3f9c…71e2.jpg". Hash names
 * differ at the start, and the extension says what the file is.
 */
export function shortName(name: string, max = NAME_MAX): string {
  if (name.length <= max) return name
  const dot = name.lastIndexOf('.')
  const ext = dot > 0 && name.length - dot <= 6 ? name.slice(dot) : ''
  const stem = name.slice(0, name.length - ext.length)
  const room = Math.max(2, max - ext.length - 1)
  const head = Math.ceil(room * 0.6)
  return `${stem.slice(0, head)}…${stem.slice(stem.length - (room - head))}${ext}`
}

/** Where an image lives as a row shows it: the folder it sits in (often the useful part) and its name. */
export function pathParts(path: string): { folder: string; name: string } {
  const parts = path.split(/[\\/]/).filter((p) => p !== '' && p !== '.')
  const file = parts.pop() ?? path
  const folder = parts.pop()
  return { folder: folder === undefined ? '' : `${folder}/`, name: shortName(file) }
}

/** A probability as a row prints it: two decimals, the way the editor's notes print it. */
const prob = (p: number): string => p.toFixed(2)

/** The model's view of a suspect pair in words: "black: labelled 1, model 0.04". */
export function suspectView(s: Pick<Suspect, 'label' | 'stored' | 'probability'>): string {
  return `${s.label}: labelled ${s.stored}, model ${prob(s.probability)}`
}

/**
 * Why an image is in the uncertainty queue, in words: its empty cells, or the label the model is least
 * sure of with the value stored now ("red: labelled 0, model 0.48 (threshold 0.50)").
 */
export function uncertainView(item: Pick<UncertainItem, 'unlabelled' | 'label' | 'probability' | 'threshold'>, stored: 0 | 1 | null): string {
  if (item.unlabelled.length > 0) return `empty: ${item.unlabelled.join(', ')}`
  if (item.label === null || item.probability === null) return ''
  const value = stored === null ? 'empty' : `labelled ${stored}`
  const threshold = item.threshold === null ? '' : ` (threshold ${prob(item.threshold)})`
  return `${item.label}: ${value}, model ${prob(item.probability)}${threshold}`
}

/**
 * How much of a queue is listed, said once: the list holds the first `listed` images, and every counter of
 * the queue counts against that list; `candidates` is how many images the run found in all.
 */
export function queueScope(listed: number, candidates: number): string {
  const n = (x: number): string => x.toLocaleString('en-US')
  if (listed >= candidates) return `${n(listed)} image${listed === 1 ? '' : 's'}`
  return `${n(listed)} of ${n(candidates)} candidates`
}
