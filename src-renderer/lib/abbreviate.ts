/**
 * Short column heads for a list of names, each different from the others: a name of up to `keep`
 * characters stays whole; a longer one is cut to its first `start` characters and a dot, and names whose
 * cuts coincide (shirt, shoes, shorts → "sho.") are cut longer until they differ (shoe., shor.). A cut
 * that would reach the whole name gives the whole name. Equal names stay equal: they cannot differ.
 */
export function distinctAbbreviations(names: readonly string[], start = 3, keep = 4): string[] {
  const lengths = names.map((n) => (n.length <= keep ? n.length : Math.min(start, n.length)))
  const cut = (i: number): string => {
    const name = names[i] ?? ''
    const n = lengths[i] ?? name.length
    return n >= name.length ? name : `${name.slice(0, n)}.`
  }
  for (;;) {
    const out = names.map((_, i) => cut(i))
    const holders = new Map<string, number[]>()
    out.forEach((a, i) => holders.set(a, [...(holders.get(a) ?? []), i]))
    let grew = false
    for (const group of holders.values()) {
      if (group.length < 2) continue
      for (const i of group) {
        const name = names[i] ?? ''
        const n = lengths[i] ?? name.length
        if (n < name.length) {
          lengths[i] = n + 1
          grew = true
        }
      }
    }
    if (!grew) return out
  }
}
