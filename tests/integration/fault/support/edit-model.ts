// What a project must hold after a crash, computed from what the service acknowledged: the label cells,
// and which edit groups are applied or undone. Also reads the same facts back from the project file
// and replays its edit log, which must reproduce the current cells exactly.
import Database from 'better-sqlite3'
import type { LabelChange } from '../../../../src-preload/contract.ts'

export type Cell = 0 | 1 | null
export interface Change {
  imageId: number
  label: string
  old: Cell
  new: Cell
}
export type EditRequest = 'labels:set' | 'labels:undo' | 'labels:redo'
/** One request as the child sent it. */
export interface Sent {
  name: EditRequest
  input: { changes?: LabelChange[] }
}
/** The service's answer, as the child printed it. */
export interface Ack {
  name: EditRequest
  group: number | null
  changes: Change[]
}

const key = (imageId: number, label: string): string => `${imageId} ${label}`

/** The state the acknowledged requests imply. */
export class EditModel {
  constructor(
    readonly cells: Map<string, Cell>,
    /** Applied groups, oldest first. */
    readonly applied: number[] = [],
    /** Undone groups, the next to redo last. */
    readonly undone: number[] = [],
    readonly groups: Map<number, Change[]> = new Map(),
  ) {}

  clone(): EditModel {
    return new EditModel(new Map(this.cells), [...this.applied], [...this.undone], new Map(this.groups))
  }

  /** Applies one acknowledged answer; throws if the answer contradicts what came before. */
  apply(ack: Ack): void {
    if (ack.name === 'labels:set') {
      if (ack.changes.length === 0) return
      if (ack.group === null) throw new Error('an edit with changes came back without a group')
      for (const c of ack.changes) {
        if (this.cells.get(key(c.imageId, c.label)) !== c.old) throw new Error(`edit ${ack.group}: old value of ${key(c.imageId, c.label)} differs`)
        this.cells.set(key(c.imageId, c.label), c.new)
      }
      this.groups.set(ack.group, ack.changes)
      this.applied.push(ack.group)
      for (const undone of this.undone.splice(0)) this.groups.delete(undone)
      return
    }
    const undo = ack.name === 'labels:undo'
    const from = undo ? this.applied : this.undone
    const to = undo ? this.undone : this.applied
    if (ack.group === null) {
      if (from.length > 0) throw new Error(`${ack.name} answered nothing to do, but group ${from.at(-1)} was there`)
      return
    }
    if (from.at(-1) !== ack.group) throw new Error(`${ack.name} answered group ${ack.group}, expected ${from.at(-1)}`)
    from.pop()
    to.push(ack.group)
    for (const c of ack.changes) this.cells.set(key(c.imageId, c.label), undo ? c.old : c.new)
  }

  /**
   * The state if `sent` (whose answer never arrived) did commit, using the group id the file gave it.
   * Returns null when that request would change nothing.
   */
  withUnacknowledged(sent: Sent, newGroup: number | undefined): EditModel | null {
    const next = this.clone()
    if (sent.name === 'labels:set') {
      const changes = effectiveChanges(this.cells, sent.input.changes ?? [])
      if (changes.length === 0 || newGroup === undefined) return null
      next.apply({ name: 'labels:set', group: newGroup, changes })
      return next
    }
    const from = sent.name === 'labels:undo' ? this.applied : this.undone
    const group = from.at(-1)
    if (group === undefined) return null
    next.apply({ name: sent.name, group, changes: this.groups.get(group) ?? [] })
    return next
  }
}

/** What setLabels records for a batch: later changes of a cell win, no-op cells are left out. */
export function effectiveChanges(cells: ReadonlyMap<string, Cell>, changes: LabelChange[]): Change[] {
  const final = new Map<string, Change>()
  for (const c of changes) {
    const k = key(c.imageId, c.label)
    const known = final.get(k)
    if (known) known.new = c.value
    else final.set(k, { imageId: c.imageId, label: c.label, old: cells.get(k) ?? null, new: c.value })
  }
  return [...final.values()].filter((c) => c.old !== c.new)
}

/** The facts of a project file, read with plain SQL. */
export interface StoredState {
  cells: Map<string, Cell>
  orig: Map<string, Cell>
  applied: number[]
  undone: number[]
  log: Map<number, Change[]>
  emptyGroups: number
}

export function readStored(file: string): StoredState {
  const db = new Database(file, { readonly: true })
  try {
    const names = new Map(db.prepare('SELECT id, name FROM labels').raw().all() as Array<[number, string]>)
    const cells = new Map<string, Cell>()
    const orig = new Map<string, Cell>()
    for (const [imageId, labelId, value, original] of db.prepare('SELECT image_id, label_id, value, orig FROM image_labels').raw().all() as Array<
      [number, number, Cell, Cell]
    >) {
      cells.set(key(imageId, names.get(labelId) ?? ''), value)
      orig.set(key(imageId, names.get(labelId) ?? ''), original)
    }
    const log = new Map<number, Change[]>()
    const applied = new Set<number>()
    const undone = new Set<number>()
    const rows = db
      .prepare('SELECT group_id, image_id, label_id, old, new, undone FROM edit_log ORDER BY group_id, id')
      .raw()
      .all() as Array<[number, number, number, Cell, Cell, 0 | 1]>
    for (const [group, imageId, labelId, old, value, isUndone] of rows) {
      const list = log.get(group) ?? []
      list.push({ imageId, label: names.get(labelId) ?? '', old, new: value })
      log.set(group, list)
      ;(isUndone ? undone : applied).add(group)
    }
    const emptyGroups = Number(
      db.prepare('SELECT count(*) FROM edit_groups g WHERE NOT EXISTS (SELECT 1 FROM edit_log l WHERE l.group_id = g.id)').pluck().get(),
    )
    return { cells, orig, applied: [...applied].sort((a, b) => a - b), undone: [...undone].sort((a, b) => a - b), log, emptyGroups }
  } finally {
    db.close()
  }
}

/**
 * Problems with the edit log: replaying the applied groups onto the imported values must give the
 * current cells, each change's "old" must be the value before it, the undone groups must replay on top
 * (so redo is sound), every applied group must be older than every undone one, and a group never
 * exists without its changes, nor partly applied or partly undone.
 */
export function logProblems(stored: StoredState): string[] {
  const problems: string[] = []
  if (stored.emptyGroups > 0) problems.push(`${stored.emptyGroups} edit groups without changes`)
  const both = stored.applied.filter((g) => stored.undone.includes(g))
  if (both.length > 0) problems.push(`groups both applied and undone: ${both.join(', ')}`)
  const lastApplied = stored.applied.at(-1) ?? 0
  if ((stored.undone[0] ?? Infinity) < lastApplied) problems.push(`undone group ${stored.undone[0]} is older than applied group ${lastApplied}`)
  const replay = new Map(stored.orig)
  const step = (group: number): void => {
    for (const c of stored.log.get(group) ?? []) {
      const k = key(c.imageId, c.label)
      if (replay.get(k) !== c.old) problems.push(`group ${group}: ${k} was ${replay.get(k)}, the log says ${c.old}`)
      replay.set(k, c.new)
    }
  }
  stored.applied.forEach(step)
  for (const [k, value] of stored.cells) {
    if (replay.get(k) !== value) problems.push(`replaying the log gives ${k} = ${replay.get(k)}, the cell holds ${value}`)
  }
  stored.undone.forEach(step)
  return problems
}

/** Differences between what the file holds and a model of it; empty when they agree. */
export function differences(stored: StoredState, model: EditModel): string[] {
  const out: string[] = []
  for (const [k, value] of model.cells) {
    if (stored.cells.get(k) !== value) out.push(`${k}: file ${stored.cells.get(k)}, acknowledged ${value}`)
  }
  const sorted = (ids: number[]): string => [...ids].sort((a, b) => a - b).join(',')
  if (sorted(stored.applied) !== sorted(model.applied)) out.push(`applied groups: file [${sorted(stored.applied)}], acknowledged [${sorted(model.applied)}]`)
  if (sorted(stored.undone) !== sorted(model.undone)) out.push(`undone groups: file [${sorted(stored.undone)}], acknowledged [${sorted(model.undone)}]`)
  return out
}
