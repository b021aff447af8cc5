// Who made an edit step, and when one user's undo or redo must give way to another user's later step.
// The rules (both engines implement them; tests/contract pins them):
// - undo(author) takes the author's latest applied step; steps recorded before authors (author NULL) are anyone's.
// - it refuses when an applied step with a larger id by another author changed one of its cells, and a
//   structural step (label set, images added) goes back only while it is the latest applied step overall.
// - redo(author) takes the author's earliest undone step and refuses in the same cases.
import { userInfo } from 'node:os'
import type { Database } from '../db/open.ts'
import { TagsmithError } from '../errors.ts'

export type UndoAction = 'undo' | 'redo'

/** The OS account name, the author the app and the CLI record when no user is named. */
export function osAccountName(): string {
  try {
    const name = userInfo().username
    if (name) return name
  } catch {
    // No passwd entry for this uid (some containers): fall back to the environment.
  }
  return process.env.USER ?? process.env.USERNAME ?? 'unknown'
}

/** A later step by `author` at `at` changed the cell `path · label` of the step being undone or redone. */
export function cellConflict(action: UndoAction, path: string, label: string, author: string, at: string): TagsmithError {
  return new TagsmithError('CONFLICT', `cannot ${action}: ${path} · ${label} was changed by ${author} at ${at} since`)
}

/** A structural step cannot go back or forth past `author`'s later step made at `at`. */
export function stepConflict(action: UndoAction, kind: string, author: string, at: string): TagsmithError {
  return new TagsmithError('CONFLICT', `cannot ${action}: ${author} made a step at ${at} since this ${kind} step`)
}

/**
 * Throws CONFLICT when an applied step after `group` by someone other than `author` stands in the way:
 * for a structural step any later applied step, for cells the first of its cells a later step changed.
 */
export function checkNoLaterConflict(db: Database, action: UndoAction, group: { id: number; kind: string }, author: string): void {
  if (group.kind !== 'cells') {
    const later = db
      .prepare('SELECT author, at FROM edit_groups WHERE undone = 0 AND id > ? ORDER BY id LIMIT 1')
      .get(group.id) as { author: string | null; at: string } | undefined
    if (later) throw stepConflict(action, group.kind, later.author ?? 'someone', later.at)
  }
  const cell = db
    .prepare(
      `SELECT i.path, coalesce(l.name, CAST(mine.label_id AS TEXT)) AS label, g.author, g.at
       FROM edit_log mine
       JOIN edit_log theirs ON theirs.image_id = mine.image_id AND theirs.label_id = mine.label_id AND theirs.group_id > mine.group_id
       JOIN edit_groups g ON g.id = theirs.group_id AND g.undone = 0 AND g.author IS NOT NULL AND g.author <> ?
       JOIN images i ON i.id = mine.image_id
       LEFT JOIN labels l ON l.id = mine.label_id
       WHERE mine.group_id = ?
       ORDER BY mine.id, theirs.group_id LIMIT 1`,
    )
    .get(author, group.id) as { path: string; label: string; author: string; at: string } | undefined
  if (cell) throw cellConflict(action, cell.path, cell.label, cell.author, cell.at)
}
