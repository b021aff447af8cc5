import { TagsmithError } from '../../errors.ts'
import { colourLength, type ColourDesign } from './colour-statistics.ts'

// The colour-statistics designs a preset may name. A design's numbers never change under its name:
// a new design gets a new name (or its version bumps), so cached colour parts stay valid.

export interface NamedColourDesign {
  version: number
  design: ColourDesign
}

export const COLOUR_DESIGNS: Readonly<Record<string, NamedColourDesign>> = {
  // Whole image and its central 58 %, each: a 4x4x4 RGB cube, 12 hues weighted by saturation x value
  // and 5 grey levels of the low-saturation pixels, on a 48x48 box-averaged grid; pixels near the
  // border's colour weigh less; square roots of the shares; then where the subject is, on a 4x4 grid
  // (162 + 16 values).
  histograms: {
    version: 1,
    design: { grid: 48, centre: 28 / 48, rgbBins: 4, hueBins: 12, greyBins: 5, greyBelow: 0.25, borderDistance: 60, power: 0.5, layout: 4 },
  },
}

/** How the colour part is named where the parts of a run's features are listed. */
export const COLOUR_PART_NAME = 'colour statistics'

export function colourDesign(name: string): NamedColourDesign {
  const found = COLOUR_DESIGNS[name]
  if (!found) throw new TagsmithError('BAD_INPUT', `unknown colour statistics "${name}" (known: ${Object.keys(COLOUR_DESIGNS).join(', ')})`)
  return found
}

export function colourDim(name: string): number {
  return colourLength(colourDesign(name).design)
}

/** Cache key of a colour part: the design and the decode size it is computed from. */
export function colourPartKey(name: string, size: number): string {
  return `colour-${name}@${size}`
}
