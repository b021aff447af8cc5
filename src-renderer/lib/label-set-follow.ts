// Keeping what names labels (a filter, a Back entry) right after the label set changed: a rename carries the
// label's state over to its new name, a removed label's state goes. The service does not say which step
// happened to a reload, so the change is read off the two lists: a rename keeps the label's place and its
// count, and is the one name that differs.
import type { Filter } from './filter.ts'

/** old name -> new name for a rename (the lists differ by exactly one name at the same place), else empty. */
export function renamesBetween(before: readonly string[], after: readonly string[]): Map<string, string> {
  if (before.length !== after.length) return new Map()
  const differ = before.flatMap((name, i) => (after[i] === name ? [] : [i]))
  if (differ.length !== 1) return new Map()
  const i = differ[0] as number
  const [from, to] = [before[i] as string, after[i] as string]
  return after.includes(from) || before.includes(to) ? new Map() : new Map([[from, to]])
}

/** The filter with renamed labels under their new names and labels that are gone dropped; the same object if nothing changed. */
export function followLabelSet(filter: Filter, before: readonly string[], after: readonly string[]): Filter {
  const renames = renamesBetween(before, after)
  const present = new Set(after)
  const nameOf = (name: string): string | null => {
    const renamed = renames.get(name)
    if (renamed !== undefined) return renamed
    return present.has(name) ? name : null
  }
  let changed = false
  const labels: Filter['labels'] = {}
  for (const [name, state] of Object.entries(filter.labels)) {
    const now = nameOf(name)
    if (now !== name) changed = true
    if (now !== null) labels[now] = state
  }
  let group = filter.group
  if (group !== undefined) {
    const names = group.map(nameOf)
    if (names.some((n, i) => n !== group?.[i])) {
      changed = true
      group = names.every((n) => n !== null) ? (names as string[]) : undefined
    }
  }
  if (!changed) return filter
  const next: Filter = { ...filter, labels }
  if (group === undefined) {
    delete next.group
    if (filter.group !== undefined) delete next.idsNote
  } else next.group = group
  return next
}
