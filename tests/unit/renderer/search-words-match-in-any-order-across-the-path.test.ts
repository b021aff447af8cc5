import { describe, expect, it } from 'vitest'
import { matchesSearch, searchTerms } from '../../../src-shared/path-search.ts'
import { applyFilter, emptyFilter } from '../../../src-renderer/lib/filter.ts'
import type { ImageRow } from '../../../src-preload/contract.ts'

describe('path search', () => {
  it('splits on whitespace, lower-cases, and keeps a quoted phrase whole', () => {
    expect(searchTerms('  Black\tSHOES  ')).toEqual(['black', 'shoes'])
    expect(searchTerms('"black shoes" val')).toEqual(['black shoes', 'val'])
    expect(searchTerms('a"b c"d')).toEqual(['a', 'b c', 'd'])
    expect(searchTerms('"unclosed phrase')).toEqual(['unclosed phrase'])
    expect(searchTerms('"  " ""')).toEqual([])
    expect(searchTerms('')).toEqual([])
  })

  it('finds every word anywhere in the path, in any order, case-insensitive', () => {
    const path = './c/Black_Shoes/val/001.jpg'
    expect(matchesSearch(path, 'black shoes')).toBe(true)
    expect(matchesSearch(path, 'shoes black')).toBe(true)
    expect(matchesSearch(path, 'SHOES 001 c/')).toBe(true)
    expect(matchesSearch(path, 'black dress')).toBe(false)
    expect(matchesSearch(path, '')).toBe(true)
    // A quoted phrase keeps its space: the path has an underscore there.
    expect(matchesSearch(path, '"black shoes"')).toBe(false)
    expect(matchesSearch('./c/black shoes/1.jpg', '"black shoes"')).toBe(true)
    expect(matchesSearch(path, '"black_shoes"')).toBe(true)
  })

  it('is the grid filter’s rule', () => {
    const paths = ['./c/black_shoes/1.jpg', './c/shoes/black/2.jpg', './c/black_dress/3.jpg', './c/blue_shoes/4.jpg']
    const rows: ImageRow[] = paths.map((path, i) => ({
      id: i + 1,
      path,
      source: 'train.csv',
      split: 'train',
      status: 'ok',
      labels: [],
      edited: false,
      hash8: null,
    }))
    const ids = (search: string): number[] => applyFilter(rows, [], [], { ...emptyFilter(), search }).ids
    expect(ids('black shoes')).toEqual([1, 2])
    expect(ids('shoes black')).toEqual([1, 2])
    expect(ids('"black_shoes"')).toEqual([1])
    expect(ids('shoes')).toEqual([1, 2, 4])
    expect(ids('   ')).toEqual([1, 2, 3, 4])
  })
})
