// A name proposed for a suggested label group, editable before it is accepted: "colour" when every label
// names a colour, "garment" when every label names a garment, else "group N" with the first N not taken.

const COLOURS = new Set(
  'black white grey gray silver red orange yellow gold beige brown green olive teal cyan blue navy purple violet pink'.split(' '),
)
const GARMENTS = new Set(
  'dress shirt tshirt t-shirt pants trousers jeans shorts skirt shoes boots sneakers jacket coat hat cap sweater hoodie suit top bag'.split(' '),
)

/** `taken`: the names of the groups declared before this one ('' for none). */
export function proposeGroupName(labels: readonly string[], taken: readonly string[]): string {
  const used = new Set(taken.map((t) => t.trim().toLowerCase()))
  const words = labels.map((l) => l.trim().toLowerCase())
  const kind = words.every((w) => COLOURS.has(w)) ? 'colour' : words.every((w) => GARMENTS.has(w)) ? 'garment' : null
  if (kind !== null && !used.has(kind)) return kind
  for (let n = taken.length + 1; ; n++) if (!used.has(`group ${n}`)) return `group ${n}`
}
