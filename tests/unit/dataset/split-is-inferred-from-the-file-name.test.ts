import { describe, expect, it } from 'vitest'
import { inferSplit } from '../../../src-main/core/dataset/split.ts'

describe('inferSplit', () => {
  it.each([
    ['train.csv', 'train'],
    ['val.csv', 'val'],
    ['apparel_valid.csv', 'val'],
    ['Validation-set.CSV', 'val'],
    ['test.csv', 'test'],
    ['labels.test.csv', 'test'],
    ['folder/TEST_2024.csv', 'test'],
    ['labels.csv', 'train'],
    ['contest.csv', 'train'],
    ['interval.csv', 'train'],
  ])('%s -> %s', (file, split) => {
    expect(inferSplit(file)).toBe(split)
  })
})
