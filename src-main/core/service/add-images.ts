// The service's adding of images and rescanning of the folder. Both are jobs (job:progress with count, rate
// and time left; job:cancel stops them before anything is stored). An add is an edit: its answer carries the
// step as labels:undo would, and other clients hear that the rows changed.
import type { Events } from '../../../src-preload/contract.ts'
import { addImages } from '../dataset/add-images.ts'
import type { Project } from '../dataset/project.ts'
import { rescanProject } from '../dataset/rescan.ts'
import { TagsmithError } from '../errors.ts'
import type { JobTable } from '../jobs/job-table.ts'
import type { Emitter } from './emitter.ts'
import type { HandlerTable } from './handler-table.ts'
import type { LabelService } from './labels.ts'
import { requireOpen } from './open-project.ts'

export interface AddServiceOptions {
  jobs: JobTable
  project: () => Project | null
  labels: LabelService
  changed: Emitter<Events['labels:changed']>
  /** Called after the rows changed, so kept copies of them are dropped. */
  rowsChanged: () => void
}

export class AddService {
  readonly #options: AddServiceOptions
  /** One add or rescan at a time: the duplicate checks of one must see the rows the other adds. */
  #busy = false

  constructor(options: AddServiceOptions) {
    this.#options = options
  }

  readonly handlers: HandlerTable<'images:add' | 'images:rescan'> = {
    'images:add': async (input, origin, user) => {
      const project = requireOpen(this.#options.project())
      const report = await this.#exclusive(() =>
        this.#options.jobs.run('add-images', ({ signal, report }) => addImages(project, { ...input, signal, onProgress: report, author: user }), origin).done,
      )
      const { added, duplicates, skipped, refused } = report
      return { added, duplicates, skipped, refused, result: report.group ? this.#options.labels.edited(report.group, origin, user) : null }
    },

    'images:rescan': async (_input, origin) => {
      const project = requireOpen(this.#options.project())
      const report = await this.#exclusive(() =>
        this.#options.jobs.run('rescan', ({ signal, report }) => rescanProject(project, { signal, onProgress: report }), origin).done,
      )
      if (report.missing + report.back > 0) {
        this.#options.rowsChanged()
        this.#options.changed.emit({ rows: [], structure: 'rescan' }, origin)
      }
      return report
    },
  }

  async #exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.#busy) throw new TagsmithError('CONFLICT', 'images are being added or the folder rescanned already; wait for it to finish')
    this.#busy = true
    try {
      return await work()
    } finally {
      this.#busy = false
    }
  }
}
