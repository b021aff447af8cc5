import type { LabelValue, Project } from '../dataset/project.ts'
import { labelIds } from './reviews.ts'

// The project's stored 0/1 cells, kept between queue requests. A cell holds its imported value unless an
// edit changed it, and edited cells are the few the partial index image_labels_edited lists, so
// following edits (here or by another connection) costs a read of those cells, not of every row.
// Rows and imported values never change after import; a label-set edit makes the cells be read again.

export interface CellImage {
  id: number
  path: string
  status: string
}

/** The connection's write count and SQLite's data_version: together they move with every commit, ours or not. */
function changeKey(project: Project): string {
  const dataVersion = Number(project.db.pragma('data_version', { simple: true }))
  const ours = Number(project.db.prepare('SELECT total_changes()').pluck().get())
  return `${dataVersion}:${ours}`
}

const EMPTY = -1

/** A cell whose value a commit changed, and the value it had. */
export interface CellChange {
  index: number
  was: number
}

export class StoredCells {
  readonly project: Project
  /** in id order */
  readonly images: readonly CellImage[]
  readonly labels: readonly string[]
  /** images x labels, row-major: 0, 1 or -1 (empty) */
  readonly values: Int8Array
  readonly #imported: Int8Array
  readonly #indexOfId: Map<number, number>
  readonly #positionOfLabelId: Map<number, number>
  /** cell index -> value, for the cells an edit moved off their imported value */
  #edited: Map<number, number>
  #key: string

  constructor(project: Project) {
    this.project = project
    this.labels = project.labels()
    const ids = labelIds(project.db)
    this.#positionOfLabelId = new Map(this.labels.map((name, k) => [ids.get(name) ?? -1, k]))
    // One read transaction: the rows and the edited cells from the same snapshot.
    const { key, images, cells, edited } = project.db.transaction(() => ({
      key: changeKey(project),
      images: project.db.prepare('SELECT id, path, status FROM images ORDER BY id').all() as CellImage[],
      // One string per image, as Project.images() reads the cells ('0', '1', '-' in label id order).
      cells: project.db
        .prepare(`SELECT image_id, group_concat(coalesce(value, '-'), '' ORDER BY label_id) FROM image_labels GROUP BY image_id`)
        .raw()
        .all() as Array<[number, string]>,
      edited: this.#readEdited(),
    }))()
    this.#key = key
    this.images = images
    this.#indexOfId = new Map(images.map((r, i) => [r.id, i]))
    const P = this.labels.length
    this.values = new Int8Array(images.length * P).fill(EMPTY)
    // The string holds a cell per label in id order; a moved or added label sits elsewhere by position.
    const positionOfChar = [...this.#positionOfLabelId.keys()].sort((a, b) => a - b).map((id) => this.#positionOfLabelId.get(id) ?? -1)
    for (const [id, text] of cells) {
      const i = this.#indexOfId.get(id)
      if (i === undefined) continue
      for (let c = 0; c < text.length; c++) {
        const k = positionOfChar[c] ?? -1
        const ch = text[c]
        if (k >= 0 && (ch === '0' || ch === '1')) this.values[i * P + k] = ch === '1' ? 1 : 0
      }
    }
    this.#imported = this.values.slice()
    this.#edited = new Map()
    for (const cell of edited) {
      const index = this.#cellIndex(cell.imageId, cell.labelId)
      if (index === -1) continue
      this.#imported[index] = cell.imported
      this.#edited.set(index, cell.value)
    }
  }

  /** True when the label set changed since these cells were read (a label added, renamed, removed, moved). */
  labelsChanged(): boolean {
    const now = this.project.labels()
    return now.length !== this.labels.length || now.some((name, k) => name !== this.labels[k])
  }

  /** Position of an image in `images`, or -1. */
  indexOf(imageId: number): number {
    return this.#indexOfId.get(imageId) ?? -1
  }

  /** Catches up with commits since the last call; returns the cells whose value changed. */
  refresh(): CellChange[] {
    const { key, rows } = this.project.db.transaction(() => {
      const now = changeKey(this.project)
      return { key: now, rows: now === this.#key ? [] : this.#readEdited() }
    })()
    if (key === this.#key) return []
    const edited = new Map<number, number>()
    for (const cell of rows) {
      const index = this.#cellIndex(cell.imageId, cell.labelId)
      if (index !== -1) edited.set(index, cell.value)
    }
    const changed: CellChange[] = []
    for (const index of new Set([...this.#edited.keys(), ...edited.keys()])) {
      const value = edited.get(index) ?? this.#imported[index] ?? EMPTY
      const was = this.values[index] ?? EMPTY
      if (was !== value) {
        this.values[index] = value
        changed.push({ index, was })
      }
    }
    this.#edited = edited
    this.#key = key
    return changed
  }

  #cellIndex(imageId: number, labelId: number): number {
    const i = this.#indexOfId.get(imageId)
    const k = this.#positionOfLabelId.get(labelId)
    return i === undefined || k === undefined ? -1 : i * this.labels.length + k
  }

  #readEdited(): Array<{ imageId: number; labelId: number; value: number; imported: number }> {
    const rows = this.project.db
      .prepare('SELECT image_id, label_id, value, orig FROM image_labels WHERE value IS NOT orig')
      .raw()
      .all() as Array<[number, number, LabelValue, LabelValue]>
    return rows.map(([imageId, labelId, value, imported]) => ({ imageId, labelId, value: value ?? EMPTY, imported: imported ?? EMPTY }))
  }
}
