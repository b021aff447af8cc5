// One key per label, shown on its toggle. J and K are left out: they move to the next/previous image; so is
// S, which shows the images most like this one.
const KEYS = [
  '1', '2', '3', '4', '5', '6', '7', '8', '9', '0',
  'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p',
  'a', 'd', 'f', 'g', 'h', 'l',
  'z', 'x', 'c', 'v', 'b', 'n', 'm',
] as const

/** The key of each label in project order; labels beyond the available keys get null. */
export function labelKeys(labelCount: number): Array<string | null> {
  return Array.from({ length: labelCount }, (_, i) => KEYS[i] ?? null)
}

/** The label index a key press selects, or -1. */
export function labelIndexForKey(key: string, labelCount: number): number {
  const i = (KEYS as readonly string[]).indexOf(key.toLowerCase())
  return i < labelCount ? i : -1
}
