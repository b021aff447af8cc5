// Which names a label may take. A refusal names the value, so the UI can show it beside the field.
import { TagsmithError } from '../errors.ts'

export const LABEL_NAME_MAX = 1000

const shown = (name: string): string => JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name)

/**
 * Refuses an empty name, one the CSV reader takes for another column ("image", a pandas index header), and a
 * name another label has in any case. `self` is the label being renamed (it may change its own case).
 */
export function checkLabelName(name: string, labels: readonly string[], self?: string): void {
  if (name.trim() === '') throw new TagsmithError('BAD_INPUT', `a label name may not be empty (got ${shown(name)})`)
  if (name.length > LABEL_NAME_MAX) throw new TagsmithError('BAD_INPUT', `label name ${shown(name)} is longer than ${LABEL_NAME_MAX} characters`)
  if (name.trim().toLowerCase() === 'image') {
    throw new TagsmithError('BAD_INPUT', `a label may not be named ${shown(name)}: that is the name of the image column`)
  }
  if (/^Unnamed: 0$/.test(name)) throw new TagsmithError('BAD_INPUT', `a label may not be named ${shown(name)}: that is how pandas names its index column`)
  const lower = name.toLowerCase()
  const other = labels.find((l) => l !== self && l.toLowerCase() === lower)
  if (other !== undefined) {
    const as = other === name ? '' : ` (as ${shown(other)})`
    throw new TagsmithError('BAD_INPUT', `a label named ${shown(name)} already exists${as}`)
  }
}

/** The label of that exact name, or BAD_INPUT naming it. */
export function knownLabel(name: string, labels: readonly string[]): number {
  const index = labels.indexOf(name)
  if (index < 0) throw new TagsmithError('BAD_INPUT', `no label named ${shown(name)}`)
  return index
}
