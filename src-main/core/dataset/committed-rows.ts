// A team server's working copy of a shared project: rows as another store committed them are written here
// as they are, without logging a step (the shared store's own log holds the step, with its author). Only
// what differs is written, in one transaction, and the ids of the rows that changed are returned.
import type { Project } from './project.ts'
import type { ImageRecord, LabelValue } from './types.ts'

export function applyCommittedRows(project: Project, records: readonly ImageRecord[]): number[] {
  const db = project.db
  const labelIds = db.prepare('SELECT id FROM labels ORDER BY position').pluck().all() as number[]
  const readCells = db.prepare('SELECT label_id, value FROM image_labels WHERE image_id = ?').raw()
  const readSplit = db.prepare('SELECT split FROM images WHERE id = ?').pluck()
  const writeCell = db.prepare('UPDATE image_labels SET value = ? WHERE image_id = ? AND label_id = ?')
  const writeSplit = db.prepare('UPDATE images SET split = ? WHERE id = ?')
  const changed: number[] = []
  db.transaction(() => {
    for (const record of records) {
      const split = readSplit.get(record.id) as string | undefined
      if (split === undefined) continue // not in this copy: a structural change, caught up by a full copy
      let differs = false
      if (split !== record.split) {
        writeSplit.run(record.split, record.id)
        differs = true
      }
      const current = new Map((readCells.all(record.id) as Array<[number, LabelValue]>).map(([label, value]) => [label, value]))
      labelIds.forEach((labelId, i) => {
        const value = record.labels[i] ?? null
        if (current.has(labelId) && current.get(labelId) !== value) {
          writeCell.run(value, record.id, labelId)
          differs = true
        }
      })
      if (differs) changed.push(record.id)
    }
  })()
  return changed
}
