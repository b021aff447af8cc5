import { describe, expect, it } from 'vitest'
import { emptyFilter, type Filter } from '../../../src-renderer/lib/filter.ts'
import { formatUrlState, parseUrlState } from '../../../src-renderer/lib/url-state.ts'

describe('filter in the address', () => {
  it('round-trips every part of the filter and the open image', () => {
    const filter: Filter = {
      labels: { red: 'has', 'a,b & c=d': 'lacks', 'été': 'has' },
      splits: ['train', 'test'],
      statuses: ['missing', 'corrupt'],
      edited: 'unedited',
      violations: true,
      search: 'red_dress/5#x&y',
    }
    const hash = formatUrlState({ filter, image: 42 })
    expect(hash).not.toContain('#')
    expect(parseUrlState(`#${hash}`)).toEqual({ filter, image: 42 })
  })

  it('no filter is an empty address, and junk is ignored', () => {
    expect(formatUrlState({ filter: emptyFilter(), image: null })).toBe('')
    expect(parseUrlState('#split=train,moon&edited=maybe&q=%E0%A4%A&zzz=1&image=x')).toEqual({
      filter: { ...emptyFilter(), splits: ['train'] },
      image: null,
    })
  })
})
