import { describe, expect, it } from 'vitest'
import { Project } from '../../../src-main/core/dataset/project.ts'
import type { ImageRecord } from '../../../src-main/core/dataset/types.ts'
import { datasetHealth, identicalFiles } from '../../../src-main/core/health/dataset-health.ts'
import { rareLabels } from '../../../src-main/core/health/label-health.ts'
import { setProjectGroups } from '../../../src-main/core/ml/label-groups.ts'
import { tempDir, writeImages, writeText } from '../dataset/helpers.ts'

const HEADER = 'image,red,blue,green,shirt,hat\n'

async function handMadeProject(): Promise<{ project: Project; id: (path: string) => number }> {
  const dir = tempDir()
  writeImages(dir, ['t1.jpg', 't2.jpg', 't3.jpg', 't4.jpg', 't5.jpg', 't6.jpg', 'v1.jpg', 'x1.jpg'])
  writeText(dir, 'corrupt.jpg', 'not a picture')
  const train = writeText(
    dir,
    'train.csv',
    HEADER +
      [
        't1.jpg,1,0,0,1,0',
        't2.jpg,0,1,0,1,1',
        't3.jpg,1,1,0,0,0', // two colours
        't4.jpg,0,0,0,1,', // no colour, all colour cells filled
        't5.jpg,0,0,,1,0', // no colour, but green is empty: unfinished, not contradictory
        't6.jpg,,1,0,1,0', // blue, red empty: consistent
      ].join('\n') +
      '\n',
  )
  const val = writeText(dir, 'val.csv', `${HEADER}v1.jpg,0,0,1,1,0\nmissing.jpg,1,0,0,0,0\ncorrupt.jpg,0,1,0,0,0\n../outside.jpg,0,0,1,0,1\n`)
  const test = writeText(dir, 'test.csv', `${HEADER}x1.jpg,0,0,1,0,1\n`)
  const { project } = await Project.importCsvs({ csvs: [train, val, test] })
  const ids = new Map(project.images().map((r) => [r.path, r.id]))
  return { project, id: (path) => ids.get(path) ?? -1 }
}

describe('dataset health on a hand-made dataset', () => {
  it('counts positives and empty cells per split, lists rare labels with the trainer pos_weight, groups, flags and co-occurrence', async () => {
    const { project, id } = await handMadeProject()
    try {
      setProjectGroups(project, [
        ['red', 'blue', 'green'],
        ['shirt', 'hat'],
      ])
      const h = await datasetHealth(project)
      expect(h.labels).toEqual(['red', 'blue', 'green', 'shirt', 'hat'])
      expect(h.perSplit).toEqual({
        train: { images: 6, positives: [2, 3, 0, 5, 1], emptyCells: 3 },
        val: { images: 4, positives: [1, 1, 2, 1, 1], emptyCells: 0 },
        test: { images: 1, positives: [0, 0, 1, 0, 1], emptyCells: 0 },
      })
      // Every label has under 20 train positives; shares and weights count known cells only.
      expect(h.rare).toEqual([
        { label: 'red', positives: 2, share: 2 / 5, posWeight: 1.5, reason: '2 positives in train (under 20)' },
        { label: 'blue', positives: 3, share: 3 / 6, posWeight: 1, reason: '3 positives in train (under 20)' },
        { label: 'green', positives: 0, share: 0, posWeight: 50, reason: 'no positive in train: the model cannot learn it' },
        { label: 'shirt', positives: 5, share: 5 / 6, posWeight: expect.closeTo(0.2, 6), reason: '5 positives in train (under 20)' },
        { label: 'hat', positives: 1, share: 1 / 5, posWeight: 4, reason: '1 positive in train (under 20)' },
      ])
      expect(h.cooccurrence).toEqual(project.stats().cooccurrence)
      expect(h.cooccurrence[0]?.[1]).toBe(1) // red and blue: t3
      expect(h.cooccurrence[1]?.[3]).toBe(2) // blue and shirt: t2, t6
      expect(h.groupViolations).toEqual([
        { group: ['red', 'blue', 'green'], imageIds: [id('t3.jpg'), id('t4.jpg')] },
        { group: ['shirt', 'hat'], imageIds: [id('t2.jpg'), id('t3.jpg'), id('missing.jpg'), id('corrupt.jpg')] },
      ])
      expect(h.flagged).toEqual({ missing: [id('missing.jpg')], corrupt: [id('corrupt.jpg')], outside: [id('../outside.jpg')] })
      // No run and no cached features: no search, every image counted as left out; but the eight
      // readable images are one file's bytes, so each pair of them is an identical copy.
      expect(h.nearDuplicates).toMatchObject({ threshold: 0.9, backbone: null, withoutFeatures: 11 })
      const readable = ['t1.jpg', 't2.jpg', 't3.jpg', 't4.jpg', 't5.jpg', 't6.jpg', 'v1.jpg', 'x1.jpg'].map(id)
      const expectedPairs = readable.flatMap((a, i) => readable.slice(i + 1).map((b) => `${a}-${b}`))
      expect(h.nearDuplicates.pairs.map((p) => `${p.a}-${p.b}`).sort()).toEqual(expectedPairs.sort())
      expect(h.nearDuplicates.pairs.every((p) => p.similarity === 1)).toBe(true)
      // 6 train x (v1, x1) + (v1, x1) cross splits; the 15 train pairs do not.
      expect(h.nearDuplicates.pairs.filter((p) => p.crossSplit)).toHaveLength(13)
      // However many files share their bytes, the pairs stop at the cap.
      expect(identicalFiles(project.images(), 5)).toHaveLength(5)

      // An edit that settles t3's colour takes it off the colour group's list.
      project.edits.setLabels([{ imageId: id('t3.jpg'), label: 'blue', value: 0 }])
      const after = await datasetHealth(project)
      expect(after.groupViolations[0]?.imageIds).toEqual([id('t4.jpg')])
      expect(after.perSplit.train.positives).toEqual([2, 2, 0, 5, 1])
    } finally {
      project.close()
    }
  })

  it('reports no groups when none are declared and refuses a similarity outside (0, 1]', async () => {
    const { project } = await handMadeProject()
    try {
      expect((await datasetHealth(project)).groupViolations).toEqual([])
      await expect(datasetHealth(project, { similarity: 1.5 })).rejects.toMatchObject({ code: 'BAD_INPUT' })
      await expect(datasetHealth(project, { similarity: 0 })).rejects.toMatchObject({ code: 'BAD_INPUT' })
    } finally {
      project.close()
    }
  })
})

describe('rare labels', () => {
  function records(n: number, positives: number[]): ImageRecord[] {
    return Array.from({ length: n }, (_, i) => ({
      id: i + 1,
      path: `${i}.jpg`,
      source: 'train.csv',
      line: i + 2,
      split: 'train' as const,
      status: 'ok' as const,
      hash: null,
      bytes: null,
      labels: positives.map((p) => (i < p ? 1 : 0) as 0 | 1),
      edited: false,
    }))
  }

  it('flags a label under 5% of train images even with 20 or more positives, and leaves common labels alone', () => {
    // 500 train images: 24 positives is 4.8%, 30 is 6%, 19 is under the count cut-off.
    const rare = rareLabels(['a', 'b', 'c'], records(500, [24, 30, 19]))
    expect(rare).toEqual([
      { label: 'a', positives: 24, share: 24 / 500, posWeight: expect.closeTo(476 / 24, 4), reason: '4.8% of train images (under 5%)' },
      { label: 'c', positives: 19, share: 19 / 500, posWeight: expect.closeTo(481 / 19, 4), reason: '19 positives in train (under 20), 3.8% of train images (under 5%)' },
    ])
  })

  it('skips unreadable train images and says nothing without train images', () => {
    const rows = records(40, [30])
    const flagged = rows.map((r, i) => (i < 20 ? { ...r, status: 'missing' as const } : r))
    expect(rareLabels(['a'], flagged)).toEqual([{ label: 'a', positives: 10, share: 0.5, posWeight: 1, reason: '10 positives in train (under 20)' }])
    expect(rareLabels(['a'], rows.map((r) => ({ ...r, split: 'val' as const })))).toEqual([])
  })
})
