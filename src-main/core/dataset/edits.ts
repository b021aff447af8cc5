import type { Database } from '../db/open.ts'
import { TagsmithError } from '../errors.ts'
import type { EditResult } from '../../../src-preload/contract.ts'
import type { EditGroup, LabelChange, LabelValue } from './types.ts'

interface LogRow {
  group_id: number
  at: string
  image_id: number
  label_id: number
  old: LabelValue
  new: LabelValue
}

/** Label edits, each one transaction recorded in the edit log that powers undo, redo and history. */
export class EditLog {
  private readonly labelIds: Map<string, number>
  private readonly labelNames: Map<number, string>

  constructor(
    private readonly db: Database,
    labels: Array<{ id: number; name: string }>,
  ) {
    this.labelIds = new Map(labels.map((l) => [l.name, l.id]))
    this.labelNames = new Map(labels.map((l) => [l.id, l.name]))
  }

  setLabels(changes: LabelChange[]): EditGroup {
    const at = new Date().toISOString()
    const getCell = this.db.prepare('SELECT value FROM image_labels WHERE image_id = ? AND label_id = ?').pluck()
    return this.db
      .transaction((): EditGroup => {
        // Later changes to the same cell win; "old" is the value before this group.
        const final = new Map<string, { imageId: number; labelId: number; old: LabelValue; new: LabelValue }>()
        for (const change of changes) {
          const labelId = this.labelIds.get(change.label)
          if (labelId === undefined) throw new TagsmithError('BAD_INPUT', `unknown label ${JSON.stringify(change.label)}`)
          if (change.value !== 0 && change.value !== 1) {
            throw new TagsmithError('BAD_INPUT', `label value must be 0 or 1, got ${JSON.stringify(change.value)}`)
          }
          const key = `${change.imageId}:${labelId}`
          const known = final.get(key)
          if (known) {
            known.new = change.value
            continue
          }
          const current = getCell.get(change.imageId, labelId) as LabelValue | undefined
          if (current === undefined) throw new TagsmithError('BAD_INPUT', `no image with id ${change.imageId}`)
          final.set(key, { imageId: change.imageId, labelId, old: current, new: change.value })
        }
        const effective = [...final.values()].filter((c) => c.old !== c.new)
        if (effective.length === 0) return { group: 0, at, changes: [] }
        // A new edit ends the redo branch.
        this.db.prepare('DELETE FROM edit_groups WHERE id IN (SELECT group_id FROM edit_log WHERE undone = 1)').run()
        const group = Number(this.db.prepare('INSERT INTO edit_groups (at) VALUES (?)').run(at).lastInsertRowid)
        const log = this.db.prepare(
          'INSERT INTO edit_log (group_id, image_id, label_id, old, new, at) VALUES (?, ?, ?, ?, ?, ?)',
        )
        const set = this.db.prepare('UPDATE image_labels SET value = ? WHERE image_id = ? AND label_id = ?')
        for (const c of effective) {
          log.run(group, c.imageId, c.labelId, c.old, c.new, at)
          set.run(c.new, c.imageId, c.labelId)
        }
        return { group, at, changes: effective.map((c) => this.change(c.imageId, c.labelId, c.old, c.new)) }
      })
      .immediate()
  }

  /** Reverts the latest applied group; returns it as recorded (cells now hold `old`). */
  undo(): EditGroup | null {
    return this.db
      .transaction(() => {
        const group = this.db.prepare('SELECT max(group_id) FROM edit_log WHERE undone = 0').pluck().get() as number | null
        if (group === null) return null
        const rows = this.rows(group)
        const set = this.db.prepare('UPDATE image_labels SET value = ? WHERE image_id = ? AND label_id = ?')
        for (const r of rows) set.run(r.old, r.image_id, r.label_id)
        this.db.prepare('UPDATE edit_log SET undone = 1 WHERE group_id = ?').run(group)
        return this.toGroup(rows)
      })
      .immediate()
  }

  /** Re-applies the earliest undone group; returns it as recorded (cells now hold `new`). */
  redo(): EditGroup | null {
    return this.db
      .transaction(() => {
        const group = this.db.prepare('SELECT min(group_id) FROM edit_log WHERE undone = 1').pluck().get() as number | null
        if (group === null) return null
        const rows = this.rows(group)
        const set = this.db.prepare('UPDATE image_labels SET value = ? WHERE image_id = ? AND label_id = ?')
        for (const r of rows) set.run(r.new, r.image_id, r.label_id)
        this.db.prepare('UPDATE edit_log SET undone = 0 WHERE group_id = ?').run(group)
        return this.toGroup(rows)
      })
      .immediate()
  }

  /** Whether undo and redo have a group to act on (the log persists across sessions). */
  undoState(): Pick<EditResult, 'canUndo' | 'canRedo'> {
    const [canUndo, canRedo] = this.db
      .prepare('SELECT EXISTS (SELECT 1 FROM edit_log WHERE undone = 0), EXISTS (SELECT 1 FROM edit_log WHERE undone = 1)')
      .raw()
      .get() as [number, number]
    return { canUndo: canUndo === 1, canRedo: canRedo === 1 }
  }

  /** Applied groups, newest first. */
  history(limit = 100): EditGroup[] {
    const groups = this.db
      .prepare('SELECT DISTINCT group_id FROM edit_log WHERE undone = 0 ORDER BY group_id DESC LIMIT ?')
      .pluck()
      .all(limit) as number[]
    return groups.map((g) => this.toGroup(this.rows(g)))
  }

  private rows(group: number): LogRow[] {
    return this.db
      .prepare('SELECT group_id, at, image_id, label_id, old, new FROM edit_log WHERE group_id = ? ORDER BY id')
      .all(group) as LogRow[]
  }

  private toGroup(rows: LogRow[]): EditGroup {
    const first = rows[0]
    return {
      group: first?.group_id ?? 0,
      at: first?.at ?? '',
      changes: rows.map((r) => this.change(r.image_id, r.label_id, r.old, r.new)),
    }
  }

  private change(imageId: number, labelId: number, old: LabelValue, next: LabelValue): EditGroup['changes'][number] {
    return { imageId, label: this.labelNames.get(labelId) ?? String(labelId), old, new: next }
  }
}
