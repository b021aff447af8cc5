import type { Database } from '../db/open.ts'
import { SPLITS, type DatasetStats, type Split } from './types.ts'

/** What the stats are counted from; each engine reads these with its own queries. */
export interface StatsRows {
  /** [split, images] */
  imagesPerSplit: Array<[Split, number]>
  /** [label id, position] */
  positions: Array<[number, number]>
  /** [image id, label id, split] of every cell holding 1, ordered by image id. */
  positives: Array<[number, number, Split]>
}

/** Positive counts per label and split, and how often labels are positive together. */
export function computeStats(db: Database, labels: string[]): DatasetStats {
  return tallyStats(labels, {
    imagesPerSplit: db.prepare('SELECT split, count(*) FROM images GROUP BY split').raw().all() as Array<[Split, number]>,
    positions: db.prepare('SELECT id, position FROM labels').raw().all() as Array<[number, number]>,
    positives: db
      .prepare(
        `SELECT il.image_id, il.label_id, i.split FROM image_labels il JOIN images i ON i.id = il.image_id
         WHERE il.value = 1 ORDER BY il.image_id`,
      )
      .raw()
      .all() as Array<[number, number, Split]>,
  })
}

export function tallyStats(labels: string[], rows: StatsRows): DatasetStats {
  const n = labels.length
  const perSplit = Object.fromEntries(
    SPLITS.map((s) => [s, { images: 0, counts: Object.fromEntries(labels.map((l) => [l, 0])) }]),
  ) as DatasetStats['perSplit']
  for (const [split, count] of rows.imagesPerSplit) perSplit[split].images = count
  const cooccurrence = Array.from({ length: n }, () => new Array<number>(n).fill(0))
  const positions = new Map(rows.positions)
  const positives = rows.positives
  let current = -1
  let onImage: number[] = []
  const flush = (): void => {
    for (const a of onImage) {
      const row = cooccurrence[a] as number[]
      for (const b of onImage) row[b] = (row[b] ?? 0) + 1
    }
    onImage = []
  }
  for (const [imageId, labelId, split] of positives) {
    if (imageId !== current) {
      flush()
      current = imageId
    }
    const p = positions.get(labelId)
    if (p === undefined) continue
    onImage.push(p)
    const name = labels[p] as string
    perSplit[split].counts[name] = (perSplit[split].counts[name] ?? 0) + 1
  }
  flush()
  return { labels: [...labels], perSplit, cooccurrence }
}
