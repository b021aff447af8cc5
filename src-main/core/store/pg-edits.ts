// Label edits on a team store: each setLabels one transaction that locks its cells (SELECT … FOR UPDATE, in
// one order, so two people editing the same cells both commit and the later one wins), logged with its author.
// Undo and redo are per user with the rules of dataset/edit-authors.ts, which the SQLite engine follows too;
// those of a structural step run on a copy of the project (pg-structure.ts), so here they are only found.
import type pg from 'pg'
import { cellConflict, type UndoAction } from '../dataset/edit-authors.ts'
import type { EditGroup, LabelChange, LabelValue } from '../dataset/types.ts'
import { TagsmithError } from '../errors.ts'
import type { HistoryEntry, UndoState } from './project-store.ts'

type Client = pg.PoolClient

interface GroupRow {
  id: number
  at: string
  kind: string
  undone: number
  author: string | null
}

interface LogRow {
  group_id: number
  image_id: number
  label_id: number
  old: LabelValue
  new: LabelValue
}

// Steps are anyone's when recorded before the store knew authors.
const MINE = '(author = $1 OR author IS NULL)'

async function labelNames(client: Client): Promise<{ ids: Map<string, number>; names: Map<number, string> }> {
  const { rows } = await client.query<{ id: number; name: string }>('SELECT id, name FROM labels')
  return { ids: new Map(rows.map((r) => [r.name, r.id])), names: new Map(rows.map((r) => [r.id, r.name])) }
}

const change = (names: Map<number, string>, r: Omit<LogRow, 'group_id'>): EditGroup['changes'][number] => ({
  imageId: r.image_id,
  label: names.get(r.label_id) ?? String(r.label_id),
  old: r.old,
  new: r.new,
})

/** Locks the cells (in image, label order) and returns their current values by "image:label". */
async function lockCells(client: Client, cells: Array<[number, number]>): Promise<Map<string, LabelValue>> {
  if (cells.length === 0) return new Map()
  const { rows } = await client.query<{ image_id: number; label_id: number; value: LabelValue }>(
    `SELECT image_id, label_id, value FROM image_labels
     WHERE (image_id, label_id) IN (SELECT * FROM unnest($1::bigint[], $2::bigint[]))
     ORDER BY image_id, label_id FOR UPDATE`,
    [cells.map((c) => c[0]), cells.map((c) => c[1])],
  )
  return new Map(rows.map((r) => [`${r.image_id}:${r.label_id}`, r.value]))
}

async function writeCells(client: Client, cells: Array<{ imageId: number; labelId: number; value: LabelValue }>): Promise<void> {
  if (cells.length === 0) return
  await client.query(
    `UPDATE image_labels c SET value = v.value FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS v(image_id, label_id, value)
     WHERE c.image_id = v.image_id AND c.label_id = v.label_id`,
    [cells.map((c) => c.imageId), cells.map((c) => c.labelId), cells.map((c) => c.value)],
  )
}

/** One committed, logged group of cell changes by `author`; the same checks and messages as the SQLite engine. */
export async function setLabels(client: Client, changes: LabelChange[], author: string): Promise<EditGroup> {
  const { ids, names } = await labelNames(client)
  const wanted = new Map<string, [number, number]>()
  for (const c of changes) {
    const labelId = ids.get(c.label)
    if (labelId !== undefined && Number.isSafeInteger(c.imageId)) wanted.set(`${c.imageId}:${labelId}`, [c.imageId, labelId])
  }
  // Steps before cells, as undo and redo lock them: the author's redo branch this edit may end, then the cells.
  await client.query(`SELECT id FROM edit_groups WHERE undone = 1 AND ${MINE} ORDER BY id FOR UPDATE`, [author])
  const current = await lockCells(client, [...wanted.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]))
  // Later changes to the same cell win; "old" is the value before this group.
  const final = new Map<string, { imageId: number; labelId: number; old: LabelValue; new: LabelValue }>()
  for (const c of changes) {
    const labelId = ids.get(c.label)
    if (labelId === undefined) throw new TagsmithError('BAD_INPUT', `unknown label ${JSON.stringify(c.label)}`)
    if (c.value !== 0 && c.value !== 1) throw new TagsmithError('BAD_INPUT', `label value must be 0 or 1, got ${JSON.stringify(c.value)}`)
    const key = `${c.imageId}:${labelId}`
    const known = final.get(key)
    if (known) {
      known.new = c.value
      continue
    }
    const old = current.get(key)
    if (old === undefined) throw new TagsmithError('BAD_INPUT', `no image with id ${c.imageId}`)
    final.set(key, { imageId: c.imageId, labelId, old, new: c.value })
  }
  const effective = [...final.values()].filter((c) => c.old !== c.new)
  if (effective.length === 0) return { group: 0, at: new Date().toISOString(), changes: [] }
  const at = new Date().toISOString()
  // A new step ends its author's redo branch; other people's undone steps stay redoable.
  await client.query(`DELETE FROM edit_groups WHERE undone = 1 AND ${MINE}`, [author])
  const { rows } = await client.query<{ id: number }>(`INSERT INTO edit_groups (at, kind, author) VALUES ($1, 'cells', $2) RETURNING id`, [at, author])
  const group = rows[0]?.id as number
  await client.query(
    `INSERT INTO edit_log (group_id, image_id, label_id, old, new, at)
     SELECT $1::bigint, *, $6::text FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[])`,
    [group, effective.map((c) => c.imageId), effective.map((c) => c.labelId), effective.map((c) => c.old), effective.map((c) => c.new), at],
  )
  await writeCells(client, effective.map((c) => ({ imageId: c.imageId, labelId: c.labelId, value: c.new })))
  return {
    group,
    at,
    changes: effective.map((c) => change(names, { image_id: c.imageId, label_id: c.labelId, old: c.old, new: c.new })),
  }
}

/** What undo and redo answer when the step to act on is structural: the caller runs it on a copy. */
export const STRUCTURAL_STEP: unique symbol = Symbol('structural step')

/** Throws CONFLICT when an applied step after `group` by someone else changed one of its cells. */
async function checkNoLaterConflict(client: Client, action: UndoAction, group: GroupRow, author: string): Promise<void> {
  const { rows } = await client.query<{ path: string; label: string; author: string; at: string }>(
    `SELECT i.path, coalesce(l.name, mine.label_id::text) AS label, g.author, g.at
     FROM edit_log mine
     JOIN edit_log theirs ON theirs.image_id = mine.image_id AND theirs.label_id = mine.label_id AND theirs.group_id > mine.group_id
     JOIN edit_groups g ON g.id = theirs.group_id AND g.undone = 0 AND g.author IS NOT NULL AND g.author <> $1
     JOIN images i ON i.id = mine.image_id
     LEFT JOIN labels l ON l.id = mine.label_id
     WHERE mine.group_id = $2
     ORDER BY mine.id, theirs.group_id LIMIT 1`,
    [author, group.id],
  )
  const cell = rows[0]
  if (cell) throw cellConflict(action, cell.path, cell.label, cell.author, cell.at)
}

async function logRows(client: Client, groups: number[]): Promise<LogRow[]> {
  if (groups.length === 0) return []
  const { rows } = await client.query<LogRow>(
    'SELECT group_id, image_id, label_id, old, new FROM edit_log WHERE group_id = ANY($1::bigint[]) ORDER BY id',
    [groups],
  )
  return rows
}

function toGroup(group: GroupRow, rows: LogRow[], names: Map<number, string>): EditGroup {
  return {
    group: group.id,
    at: group.at,
    changes: rows.map((r) => change(names, r)),
    ...(group.kind === 'cells' ? {} : { structure: group.kind }),
  }
}

/**
 * Undo (`undone` 0 → 1, cells to `old`) or redo (1 → 0, cells to `new`) of `author`'s step; STRUCTURAL_STEP,
 * changing nothing, when that step is structural.
 */
export async function undoOrRedo(client: Client, action: UndoAction, author: string): Promise<EditGroup | null | typeof STRUCTURAL_STEP> {
  const undo = action === 'undo'
  const found = await client.query<GroupRow>(
    `SELECT id, at, kind, undone, author FROM edit_groups WHERE undone = $2 AND ${MINE}
     ORDER BY id ${undo ? 'DESC' : 'ASC'} LIMIT 1 FOR UPDATE`,
    [author, undo ? 0 : 1],
  )
  const group = found.rows[0]
  if (!group) return null
  if (group.kind !== 'cells') return STRUCTURAL_STEP
  const rows = await logRows(client, [group.id])
  // Lock the step's cells first, so a concurrent edit of them either shows in the check below or waits for us.
  await lockCells(
    client,
    rows.map((r): [number, number] => [r.image_id, r.label_id]).sort((a, b) => a[0] - b[0] || a[1] - b[1]),
  )
  await checkNoLaterConflict(client, action, group, author)
  await writeCells(client, rows.map((r) => ({ imageId: r.image_id, labelId: r.label_id, value: undo ? r.old : r.new })))
  const mark = undo ? 1 : 0
  await client.query('UPDATE edit_groups SET undone = $1 WHERE id = $2', [mark, group.id])
  await client.query('UPDATE edit_log SET undone = $1 WHERE group_id = $2', [mark, group.id])
  return toGroup(group, rows, (await labelNames(client)).names)
}

export async function undoState(client: Client | pg.Pool, author: string): Promise<UndoState> {
  const { rows } = await client.query<{ can_undo: boolean; can_redo: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM edit_groups WHERE undone = 0 AND ${MINE}) AS can_undo,
            EXISTS (SELECT 1 FROM edit_groups WHERE undone = 1 AND ${MINE}) AS can_redo`,
    [author],
  )
  return { canUndo: rows[0]?.can_undo === true, canRedo: rows[0]?.can_redo === true }
}

/** Applied and undone steps, newest first; `user` keeps one author's. */
export async function history(client: Client, options: { user?: string; limit?: number } = {}): Promise<HistoryEntry[]> {
  const { rows: groups } = await client.query<GroupRow>(
    `SELECT id, at, kind, undone, author FROM edit_groups WHERE ($1::text IS NULL OR author = $1) ORDER BY id DESC LIMIT $2`,
    [options.user ?? null, options.limit ?? 100],
  )
  const byGroup = new Map<number, LogRow[]>()
  for (const r of await logRows(client, groups.map((g) => g.id))) {
    const list = byGroup.get(r.group_id) ?? []
    list.push(r)
    byGroup.set(r.group_id, list)
  }
  const { names } = await labelNames(client)
  return groups.map((g) => ({ ...toGroup(g, byGroup.get(g.id) ?? [], names), author: g.author, kind: g.kind, undone: g.undone === 1 }))
}
