// Label cell spellings. Each file keeps its own style; new values are written in it.
import type { LabelValue } from './types.ts'

export interface ValueStyle {
  '0': string
  '1': string
}

const SPELLINGS: Record<string, 0 | 1> = {
  '0': 0,
  '1': 1,
  '0.0': 0,
  '1.0': 1,
  false: 0,
  true: 1,
  False: 0,
  True: 1,
  FALSE: 0,
  TRUE: 1,
}

const PARTNER: Record<string, string> = {
  '0': '1',
  '1': '0',
  '0.0': '1.0',
  '1.0': '0.0',
  false: 'true',
  true: 'false',
  False: 'True',
  True: 'False',
  FALSE: 'TRUE',
  TRUE: 'FALSE',
}

export const ACCEPTED_VALUES = '0, 1, 0.0, 1.0, true, false (any case), or empty'

/** undefined = not a label value. */
export function parseCellValue(text: string): LabelValue | undefined {
  if (text === '') return null
  const v = SPELLINGS[text]
  if (v !== undefined) return v
  const lower = SPELLINGS[text.toLowerCase()]
  return lower
}

/** Tracks the spellings seen in one file and picks the most common one for each value. */
export class ValueStyleCounter {
  private counts = new Map<string, number>()

  see(text: string): void {
    if (text !== '') this.counts.set(text, (this.counts.get(text) ?? 0) + 1)
  }

  style(): ValueStyle {
    const best = (value: 0 | 1): string | undefined => {
      let top: string | undefined
      let topCount = 0
      for (const [text, count] of this.counts) {
        if (parseCellValue(text) === value && count > topCount) [top, topCount] = [text, count]
      }
      return top
    }
    const zero = best(0)
    const one = best(1)
    const partner = (text: string | undefined): string | undefined =>
      text === undefined ? undefined : (PARTNER[text] ?? PARTNER[text.toLowerCase()])
    return { '0': zero ?? partner(one) ?? '0', '1': one ?? partner(zero) ?? '1' }
  }
}
