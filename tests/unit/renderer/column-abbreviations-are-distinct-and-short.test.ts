import { describe, expect, it } from 'vitest'
import { distinctAbbreviations } from '../../../src-renderer/lib/abbreviate.ts'

const APPAREL = ['black', 'blue', 'brown', 'green', 'red', 'white', 'dress', 'shirt', 'pants', 'shorts', 'shoes']

describe('column abbreviations', () => {
  it('give shirt, shoes and shorts three different heads, and leave short names whole', () => {
    const heads = distinctAbbreviations(APPAREL)
    expect(heads).toEqual(['bla.', 'blue', 'bro.', 'gre.', 'red', 'whi.', 'dre.', 'shi.', 'pan.', 'shor.', 'shoe.'])
    expect(new Set(heads).size).toBe(APPAREL.length)
  })

  it('are each a prefix of their name, cut only as long as needed', () => {
    const names = ['category_a1', 'category_a2', 'category_b', 'cat', 'catalogue']
    const heads = distinctAbbreviations(names)
    expect(new Set(heads).size).toBe(names.length)
    heads.forEach((h, i) => expect(names[i]?.startsWith(h.replace(/\.$/, ''))).toBe(true))
    // The two that differ only in their last character are shown whole; "catalogue" needs four letters.
    expect(heads).toEqual(['category_a1', 'category_a2', 'category_b', 'cat', 'cata.'])
  })

  it('never match another name shown whole, and give the whole name when a cut would reach it', () => {
    expect(distinctAbbreviations(['sho.', 'shorts'])).toEqual(['sho.', 'shor.'])
    expect(distinctAbbreviations(['abcde', 'abcdef'])).toEqual(['abcde', 'abcde.'])
    expect(distinctAbbreviations(['same', 'same'])).toEqual(['same', 'same'])
    expect(distinctAbbreviations([])).toEqual([])
  })
})
