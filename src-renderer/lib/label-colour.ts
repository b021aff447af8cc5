// A label's colour, as CSS custom properties for `hsl(var(--hue) var(--sat) var(--lit))` on `var(--ink)`.
// Labels that name a colour wear it (a "green" chip is green); the others get well-spread hues from their
// position (golden-angle steps), so a label keeps its colour everywhere.

type Hsl = readonly [hue: number, sat: number, lit: number]

const NAMED: Record<string, Hsl> = {
  black: [0, 0, 10],
  white: [0, 0, 86],
  grey: [0, 0, 45],
  gray: [0, 0, 45],
  silver: [0, 0, 62],
  red: [0, 62, 40],
  orange: [28, 75, 42],
  yellow: [50, 75, 45],
  gold: [45, 65, 45],
  beige: [38, 35, 62],
  brown: [25, 45, 30],
  green: [130, 45, 34],
  olive: [70, 40, 32],
  teal: [178, 50, 32],
  cyan: [188, 60, 40],
  blue: [215, 62, 44],
  navy: [225, 55, 26],
  purple: [275, 45, 44],
  violet: [270, 50, 50],
  pink: [330, 60, 50],
}

export type LabelStyle = Record<'--hue' | '--sat' | '--lit' | '--ink', string>

// Every tile asks for its chips' styles: answer each label once (frozen, so sharing it is safe).
const cache = new Map<string, Readonly<LabelStyle>>()

export function labelStyle(index: number, name: string): Readonly<LabelStyle> {
  const key = `${index}\u0000${name}`
  let style = cache.get(key)
  if (style === undefined) {
    const [hue, sat, lit] = NAMED[name.trim().toLowerCase()] ?? [Math.round((index * 137.508 + 200) % 360), 45, 33]
    style = Object.freeze({ '--hue': String(hue), '--sat': `${sat}%`, '--lit': `${lit}%`, '--ink': lit > 58 ? '#15171b' : '#f4f6f8' })
    cache.set(key, style)
  }
  return style
}
