import type { Database } from '../db/open.ts'
import { TagsmithError } from '../errors.ts'
import type { EditResult } from '../../../src-preload/contract.ts'
import { checkNoLaterConflict, osAccountName, type UndoAction } from './edit-authors.ts'
import { structuralKind } from './structural-edits.ts'
import type { EditGroup, LabelChange, LabelValue } from './types.ts'

interface GroupRow {
  id: number
  at: string
  kind: string
  detail: string | null
  author: string | null
  undone: 0 | 1
}

const GROUP_COLUMNS = 'id, at, kind, detail, author, undone'
/** A step is `author`'s to undo and redo when they made it, or when it was recorded before authors. */
const MINE = '(author = ? OR author IS NULL)'

/** One step as the history lists it. */
export interface EditLogEntry extends EditGroup {
  author: string | null
  kind: string
  undone: boolean
}

interface LogRow {
  group_id: number
  at: string
  image_id: number
  label_id: number
  old: LabelValue
  new: LabelValue
}

/**
 * Label edits, each one transaction recorded in the edit log that powers undo, redo and history. A group is
 * either plain cell edits or a structural edit (see structural-edits.ts) with the cells it set, if any.
 */
export class EditLog {
  /** Who the steps are recorded for when a call names no author: the OS account unless the caller sets one. */
  author: string = osAccountName()
  private labelIds = new Map<string, number>()
  private labelNames = new Map<number, string>()

  constructor(
    private readonly db: Database,
    labels: Array<{ id: number; name: string }>,
  ) {
    this.useLabels(labels)
  }

  /** The label set changed (added, renamed, removed): names and ids are read from here on. */
  useLabels(labels: Array<{ id: number; name: string }>): void {
    this.labelIds = new Map(labels.map((l) => [l.name, l.id]))
    this.labelNames = new Map(labels.map((l) => [l.id, l.name]))
  }

  /** After a structural step: the label set may have changed shape. */
  rereadLabels(): void {
    this.useLabels(this.db.prepare('SELECT id, name FROM labels').all() as Array<{ id: number; name: string }>)
  }

  setLabels(changes: LabelChange[], author: string = this.author): EditGroup {
    return this.db.transaction((): EditGroup => this.logCells(changes, () => this.newGroup('cells', author))).immediate()
  }

  /**
   * Records a structural edit as one undoable group, in one transaction: `apply` changes the project and
   * returns the detail its kind's handler needs to undo and redo it, plus cell changes to log in the same
   * group (e.g. the labels of images it added). Nothing is written when `apply` throws.
   */
  structural(kind: string, apply: () => { detail: unknown; changes?: LabelChange[] }, author: string = this.author): EditGroup {
    structuralKind(kind)
    return this.db
      .transaction((): EditGroup => {
        const group = this.newGroup(kind, author)
        const { detail, changes = [] } = apply()
        this.db.prepare('UPDATE edit_groups SET detail = ? WHERE id = ?').run(JSON.stringify(detail), group.id)
        return { ...this.logCells(changes, () => group), group: group.id, at: group.at, structure: kind }
      })
      .immediate()
  }

  /** A new group; a new edit ends its author's redo branch (other users keep theirs). */
  private newGroup(kind: string, author: string): { id: number; at: string } {
    const at = new Date().toISOString()
    this.db.prepare(`DELETE FROM edit_groups WHERE undone = 1 AND ${MINE}`).run(author)
    const id = Number(
      this.db.prepare('INSERT INTO edit_groups (at, kind, author) VALUES (?, ?, ?)').run(at, kind, author).lastInsertRowid,
    )
    return { id, at }
  }

  /** Logs and applies cell changes; the group is made only when some cell really changes. */
  private logCells(changes: LabelChange[], makeGroup: () => { id: number; at: string }): EditGroup {
    const getCell = this.db.prepare('SELECT value FROM image_labels WHERE image_id = ? AND label_id = ?').pluck()
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
    if (effective.length === 0) return { group: 0, at: new Date().toISOString(), changes: [] }
    const { id: group, at } = makeGroup()
    const log = this.db.prepare(
      'INSERT INTO edit_log (group_id, image_id, label_id, old, new, at) VALUES (?, ?, ?, ?, ?, ?)',
    )
    const set = this.db.prepare('UPDATE image_labels SET value = ? WHERE image_id = ? AND label_id = ?')
    for (const c of effective) {
      log.run(group, c.imageId, c.labelId, c.old, c.new, at)
      set.run(c.new, c.imageId, c.labelId)
    }
    return { group, at, changes: effective.map((c) => this.change(c.imageId, c.labelId, c.old, c.new)) }
  }

  /**
   * Reverts `author`'s latest applied group; returns it as recorded (cells now hold `old`). CONFLICT when
   * another user's later step stands in the way (edit-authors.ts).
   */
  undo(author: string = this.author): EditGroup | null {
    return this.db
      .transaction(() => {
        const group = this.candidate('undo', author)
        if (!group) return null
        const rows = this.rows(group.id)
        const set = this.db.prepare('UPDATE image_labels SET value = ? WHERE image_id = ? AND label_id = ?')
        for (const r of rows) set.run(r.old, r.image_id, r.label_id)
        if (group.kind !== 'cells') {
          structuralKind(group.kind).undo(this.db, JSON.parse(group.detail ?? 'null'), group.id)
          this.rereadLabels()
        }
        this.mark(group.id, 1)
        return this.toGroup(group, rows)
      })
      .immediate()
  }

  /** Re-applies `author`'s earliest undone group; returns it as recorded (cells now hold `new`). */
  redo(author: string = this.author): EditGroup | null {
    return this.db
      .transaction(() => {
        const group = this.candidate('redo', author)
        if (!group) return null
        if (group.kind !== 'cells') {
          structuralKind(group.kind).redo(this.db, JSON.parse(group.detail ?? 'null'), group.id)
          this.rereadLabels()
        }
        const rows = this.rows(group.id)
        const set = this.db.prepare('UPDATE image_labels SET value = ? WHERE image_id = ? AND label_id = ?')
        for (const r of rows) set.run(r.new, r.image_id, r.label_id)
        this.mark(group.id, 0)
        return this.toGroup(group, rows)
      })
      .immediate()
  }

  /** The group `author`'s undo or redo acts on, checked against later steps of others; null when none. */
  private candidate(action: UndoAction, author: string): GroupRow | null {
    const query =
      action === 'undo'
        ? `SELECT ${GROUP_COLUMNS} FROM edit_groups WHERE undone = 0 AND ${MINE} ORDER BY id DESC LIMIT 1`
        : `SELECT ${GROUP_COLUMNS} FROM edit_groups WHERE undone = 1 AND ${MINE} ORDER BY id LIMIT 1`
    const group = this.db.prepare(query).get(author) as GroupRow | undefined
    if (!group) return null
    checkNoLaterConflict(this.db, action, group, author)
    return group
  }

  private mark(group: number, undone: 0 | 1): void {
    this.db.prepare('UPDATE edit_groups SET undone = ? WHERE id = ?').run(undone, group)
    this.db.prepare('UPDATE edit_log SET undone = ? WHERE group_id = ?').run(undone, group)
  }

  /**
   * Whether `author`'s undo and redo have a group to act on (the log persists across sessions); another
   * user's later step may still make them refuse.
   */
  undoState(author: string = this.author): Pick<EditResult, 'canUndo' | 'canRedo'> {
    const [canUndo, canRedo] = this.db
      .prepare(
        `SELECT EXISTS (SELECT 1 FROM edit_groups WHERE undone = 0 AND ${MINE}),
                EXISTS (SELECT 1 FROM edit_groups WHERE undone = 1 AND ${MINE})`,
      )
      .raw()
      .get(author, author) as [number, number]
    return { canUndo: canUndo === 1, canRedo: canRedo === 1 }
  }

  /** Applied groups, newest first. */
  history(limit = 100): EditGroup[] {
    const groups = this.db
      .prepare(`SELECT ${GROUP_COLUMNS} FROM edit_groups WHERE undone = 0 ORDER BY id DESC LIMIT ?`)
      .all(limit) as GroupRow[]
    return groups.map((g) => this.toGroup(g, this.rows(g.id)))
  }

  /** Applied and undone groups with their authors, newest first; `user` keeps one author's. */
  entries(options: { user?: string; limit?: number } = {}): EditLogEntry[] {
    const limit = options.limit ?? 100
    const groups = (
      options.user === undefined
        ? this.db.prepare(`SELECT ${GROUP_COLUMNS} FROM edit_groups ORDER BY id DESC LIMIT ?`).all(limit)
        : this.db.prepare(`SELECT ${GROUP_COLUMNS} FROM edit_groups WHERE author = ? ORDER BY id DESC LIMIT ?`).all(options.user, limit)
    ) as GroupRow[]
    return groups.map((g) => ({ ...this.toGroup(g, this.rows(g.id)), author: g.author, kind: g.kind, undone: g.undone === 1 }))
  }

  private rows(group: number): LogRow[] {
    return this.db
      .prepare('SELECT group_id, at, image_id, label_id, old, new FROM edit_log WHERE group_id = ? ORDER BY id')
      .all(group) as LogRow[]
  }

  private toGroup(group: GroupRow, rows: LogRow[]): EditGroup {
    return {
      group: group.id,
      at: group.at,
      changes: rows.map((r) => this.change(r.image_id, r.label_id, r.old, r.new)),
      ...(group.kind === 'cells' ? {} : { structure: group.kind }),
    }
  }

  private change(imageId: number, labelId: number, old: LabelValue, next: LabelValue): EditGroup['changes'][number] {
    return { imageId, label: this.labelNames.get(labelId) ?? String(labelId), old, new: next }
  }
}
