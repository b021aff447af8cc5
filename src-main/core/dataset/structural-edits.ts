import type { Database } from '../db/open.ts'

/**
 * How one kind of structural edit (a label added, renamed, removed or moved; images added) is undone and
 * redone. Both run inside the undo or redo transaction with the `detail` the edit recorded; cell changes the
 * same group logged are reverted before `undo` and re-applied after `redo`, so a handler sees its own rows.
 */
export interface StructuralKind {
  /** `group` is the edit group's id: a handler may rewrite its detail (setStructuralDetail) to keep what a redo needs. */
  undo(db: Database, detail: unknown, group: number): void
  redo(db: Database, detail: unknown, group: number): void
}

const kinds = new Map<string, StructuralKind>()

/** Registers a kind once, at module load of the code that records it; a second registration is a bug. */
export function registerStructuralKind(kind: string, handler: StructuralKind): void {
  if (kind === 'cells') throw new Error("'cells' is the kind of plain cell edits")
  if (kinds.has(kind)) throw new Error(`structural edit kind ${kind} is registered twice`)
  kinds.set(kind, handler)
}

/** The handler of a stored group's kind; a project written by a newer version may hold kinds this one lacks. */
export function structuralKind(kind: string): StructuralKind {
  const handler = kinds.get(kind)
  if (!handler) throw new Error(`this version cannot undo or redo an edit of kind ${kind}`)
  return handler
}

/** Replaces a group's detail from inside its handler (e.g. what an undo took away, for the redo to put back). */
export function setStructuralDetail(db: Database, group: number, detail: unknown): void {
  db.prepare('UPDATE edit_groups SET detail = ? WHERE id = ?').run(JSON.stringify(detail), group)
}
