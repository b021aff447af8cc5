import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyFileToPostgres } from '../../../src-main/core/store/copy-project.ts'
import { openPostgresStore } from '../../../src-main/core/store/postgres-store.ts'
import type { ProjectStore } from '../../../src-main/core/store/project-store.ts'
import { freshDatabase, pgEnabled } from '../../support/postgres-cluster.ts'
import { smallApparelProject } from './small-project.ts'

const bit = (n: number): 0 | 1 => (n % 2 === 0 ? 0 : 1)

/** Returns once `n` sessions of this database wait on a lock. */
async function waitersOnLocks(client: pg.Client, n: number): Promise<void> {
  for (;;) {
    const { rows } = await client.query<{ n: string }>(
      "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
    )
    if (Number(rows[0]?.n) >= n) return
  }
}

describe.skipIf(!pgEnabled())('two team members editing the same cells at once', () => {
  let url: string
  let ann: ProjectStore
  let bob: ProjectStore
  beforeAll(async () => {
    const { file } = await smallApparelProject(4)
    url = await freshDatabase()
    await copyFileToPostgres(file, url)
    // Two stores, two pools: as two server processes would hold.
    ann = await openPostgresStore(url)
    bob = await openPostgresStore(url)
  })
  afterAll(async () => {
    await ann.close()
    await bob.close()
  })

  it('both commit while the cell is locked, both are logged, and the later one holds', async () => {
    const blocker = new pg.Client({ connectionString: url })
    await blocker.connect()
    try {
      // An empty cell, so both edits change it whichever goes first.
      await blocker.query('UPDATE image_labels SET value = NULL WHERE image_id = 1 AND label_id = 1')
      await blocker.query('BEGIN')
      await blocker.query('SELECT 1 FROM image_labels WHERE image_id = 1 AND label_id = 1 FOR UPDATE')
      const edits = Promise.all([
        ann.setLabels([{ imageId: 1, label: 'black', value: 1 }], 'ann'),
        bob.setLabels([{ imageId: 1, label: 'black', value: 0 }], 'bob'),
      ])
      // Wait until both are queued behind the lock, then let them go together.
      await waitersOnLocks(blocker, 2)
      await blocker.query('COMMIT')
      const [a, b] = await edits
      expect(a.group).toBeGreaterThan(0)
      expect(b.group).toBeGreaterThan(0)
      const [first, second] = a.group < b.group ? [a, b] : [b, a]
      expect(first.changes[0]?.old).toBeNull()
      expect(second.changes[0]?.old).toBe(first.changes[0]?.new)
      const image = (await ann.imagesByIds([1]))[0]
      expect(image?.labels[0]).toBe(second.changes[0]?.new)
      const history = await bob.history()
      expect(history.slice(0, 2).map((h) => [h.group, h.author])).toEqual([
        [second.group, second === a ? 'ann' : 'bob'],
        [first.group, first === a ? 'ann' : 'bob'],
      ])
    } finally {
      await blocker.end()
    }
  })

  it('many overlapping edits from both never deadlock, and the log replays to the cells as they are', async () => {
    const rounds = Array.from({ length: 12 }, (_, i) => i)
    await Promise.all(
      rounds.flatMap((i) => [
        // Opposite cell orders in one call: the store locks cells in one order, so no deadlock.
        ann.setLabels(
          [
            { imageId: 2, label: 'red', value: bit(i) },
            { imageId: 3, label: 'red', value: bit(i + 1) },
          ],
          'ann',
        ),
        bob.setLabels(
          [
            { imageId: 3, label: 'red', value: bit(i) },
            { imageId: 2, label: 'red', value: bit(i + 1) },
          ],
          'bob',
        ),
      ]),
    )
    const steps = (await ann.history({ limit: 1000 })).reverse()
    const replay = new Map<number, number | null>()
    for (const step of steps) {
      for (const c of step.changes) {
        if (c.label !== 'red') continue
        if (replay.has(c.imageId)) expect(c.old).toBe(replay.get(c.imageId))
        replay.set(c.imageId, c.new)
      }
    }
    const images = await bob.imagesByIds([2, 3])
    expect(images.map((im) => im.labels[4])).toEqual([replay.get(2), replay.get(3)])
  })

  it("one user's new edit and redo from two windows, queued on the same cell, both succeed without a deadlock", async () => {
    await ann.setLabels([{ imageId: 4, label: 'blue', value: 1 }], 'ann')
    await ann.setLabels([{ imageId: 4, label: 'blue', value: 0 }], 'ann')
    await ann.undo('ann')
    const blocker = new pg.Client({ connectionString: url })
    await blocker.connect()
    try {
      await blocker.query('BEGIN')
      await blocker.query('SELECT 1 FROM image_labels WHERE image_id = 4 AND label_id = 2 FOR UPDATE')
      // The edit queues on the cell first, then the redo of the step that edit's branch-ending removes.
      const edit = ann.setLabels([{ imageId: 4, label: 'blue', value: 0 }], 'ann')
      await waitersOnLocks(blocker, 1)
      const redo = bob.redo('ann')
      await waitersOnLocks(blocker, 2)
      await blocker.query('COMMIT')
      const results = await Promise.allSettled([edit, redo])
      expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : r.status))).toEqual(['fulfilled', 'fulfilled'])
      expect((await ann.imagesByIds([4]))[0]?.labels[1]).toBe(0)
    } finally {
      await blocker.end()
    }
  })
})
