import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src-main/core/db/open.ts'
import { featureSource } from '../../../src-main/core/health/feature-source.ts'
import { getRun, insertRun } from '../../../src-main/core/ml/runs.ts'
import { addRun, handMadeProject, type HandMade } from '../quality/hand-made-project.ts'

let made: HandMade | null = null
afterEach(() => {
  made?.remove()
  made = null
})

describe("near-duplicates' feature source", () => {
  it("is the asked run's features (the app's active run), else the latest run's", async () => {
    made = await handMadeProject(['a', 'b'], [
      { path: '1.jpg', cells: ['1', '0'] },
      { path: '2.jpg', cells: ['0', '1'] },
    ])
    const first = addRun(made, ['a', 'b'], {})
    const db = openDatabase(made.file)
    try {
      // A second, newer run on other features.
      const stored = getRun(db, first)
      const second = insertRun(db, { ...stored, backbone: { ...stored.backbone, id: 'c', key: 'c:l2' }, labelSnapshot: '0'.repeat(64), timings: { extractSeconds: 0, trainSeconds: 0 } })
      expect(second).toBeGreaterThan(first)
      expect(featureSource(db)?.key).toBe('c:l2')
      expect(featureSource(db, first)?.key).toBe('b:l1')
      // Named as the run's backbone is named in the catalog, not by its cache key.
      expect(featureSource(db, first)?.name).toBe('B')
      expect(featureSource(db, second)?.key).toBe('c:l2')
      // A run that is gone (deleted meanwhile): the latest run's features.
      expect(featureSource(db, second + 10)?.key).toBe('c:l2')
    } finally {
      db.close()
    }
  })
})
