// The service's label and split edits. Each answers the rows it changed, and tells every other client
// with labels:changed; undo and redo read the project's edit log, which outlives the session. A request's
// `user` (a team member's web client) is the author its steps are recorded for and whose undo it takes;
// without one, the project's own author (the OS account).
import type { EditResult, Events } from '../../../src-preload/contract.ts'
import { editLabelSet } from '../dataset/label-set.ts'
import type { EditGroup, Project } from '../dataset/project.ts'
import type { Emitter } from './emitter.ts'
import type { HandlerTable } from './handler-table.ts'
import { requireOpen } from './open-project.ts'
import { toEditResult, toImageRow } from './rows.ts'
import type { TeamLink } from './team-link.ts'

type LabelRequest = 'labels:set' | 'labels:undo' | 'labels:redo' | 'labels:history' | 'labels:edit' | 'split:set'

export interface LabelServiceOptions {
  /** The project open in the service, if any. */
  project: () => Project | null
  changed: Emitter<Events['labels:changed']>
  /** Called after every committed change, so kept copies of the rows are dropped. */
  rowsChanged: () => void
  /** Called after a step that changed the dataset's shape (the label set, the rows), so kept project info is dropped. */
  structureChanged?: () => void
  /** On a team server: the shared store every edit is committed in first (the project is its working copy). */
  team?: () => TeamLink | null
}

export class LabelService {
  readonly #options: LabelServiceOptions

  constructor(options: LabelServiceOptions) {
    this.#options = options
  }

  readonly handlers: HandlerTable<LabelRequest> = {
    // The edit log checks every label and image id inside the transaction (BAD_INPUT, nothing written).
    'labels:set': async ({ changes }, origin, user) => {
      const team = this.#team()
      if (team) return this.#teamEdited(team, await team.setLabels(changes, user), origin, user)
      return this.edited(this.#requireProject().edits.setLabels(changes, user), origin, user)
    },

    'labels:undo': async (_input, origin, user) => {
      const team = this.#team()
      const group = team ? await team.undo(user) : this.#requireProject().edits.undo(user)
      if (!group) return null
      return team ? this.#teamEdited(team, group, origin, user) : this.edited(group, origin, user)
    },

    'labels:redo': async (_input, origin, user) => {
      const team = this.#team()
      const group = team ? await team.redo(user) : this.#requireProject().edits.redo(user)
      if (!group) return null
      return team ? this.#teamEdited(team, group, origin, user) : this.edited(group, origin, user)
    },

    'labels:history': async (_input, _origin, user) => this.#team()?.undoState(user) ?? this.#requireProject().edits.undoState(user),

    // The project checks the names inside the step's transaction (BAD_INPUT naming the value, nothing written).
    'labels:edit': async (edit, origin, user) => {
      const team = this.#team()
      if (team) return this.#teamEdited(team, await team.editLabelSet(edit, user), origin, user)
      return this.edited(editLabelSet(this.#requireProject(), edit, user), origin, user)
    },

    // setSplit refuses unknown ids inside its transaction (BAD_INPUT, nothing written).
    'split:set': async ({ imageIds, split }, origin, user) => {
      const project = this.#requireProject()
      const team = this.#team()
      if (team) await team.setSplit(imageIds, split, user)
      else project.setSplit(imageIds, split)
      this.#options.rowsChanged()
      const rows = project.imagesByIds(imageIds).map(toImageRow)
      this.#options.changed.emit({ rows }, origin)
      return rows
    },
  }

  /** An edit's answer, its rows as committed and `user`'s undo state; other clients hear of them (labels:changed). */
  edited(group: EditGroup, origin: string | undefined, user?: string): EditResult {
    const project = this.#requireProject()
    this.#options.rowsChanged()
    if (group.structure !== undefined) this.#options.structureChanged?.()
    const result = toEditResult(group, (ids) => project.imagesByIds(ids), project.edits.undoState(user))
    if (group.structure !== undefined) this.#options.changed.emit({ rows: result.rows, structure: group.structure }, origin)
    else if (result.rows.length > 0) this.#options.changed.emit({ rows: result.rows }, origin)
    return result
  }

  /** `edited` for a step made here or, on a team server, committed in the shared store and copied here. */
  async editedAnywhere(group: EditGroup, origin: string | undefined, user?: string): Promise<EditResult> {
    const team = this.#team()
    return team ? this.#teamEdited(team, group, origin, user) : this.edited(group, origin, user)
  }

  /** A step committed in the team's store and already copied here: answered and announced as `edited` does. */
  async #teamEdited(team: TeamLink, group: EditGroup, origin: string | undefined, user: string | undefined): Promise<EditResult> {
    const project = this.#requireProject()
    this.#options.rowsChanged()
    if (group.structure !== undefined) this.#options.structureChanged?.()
    const result = toEditResult(group, (ids) => project.imagesByIds(ids), await team.undoState(user))
    // A structural step was announced to every client when the working copy was made again.
    if (group.structure === undefined && result.rows.length > 0) this.#options.changed.emit({ rows: result.rows }, origin)
    return result
  }

  #team(): TeamLink | null {
    return this.#options.team?.() ?? null
  }

  #requireProject(): Project {
    return requireOpen(this.#options.project())
  }
}
