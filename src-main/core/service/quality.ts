// The service's label-error and uncertainty queue requests.
import type { RequestName, Requests } from '../../../src-preload/contract.ts'
import type { Project } from '../dataset/project.ts'
import type { EditGroup } from '../dataset/types.ts'
import { TagsmithError } from '../errors.ts'
import type { JobTable } from './jobs.ts'

type QualityRequest = Extract<RequestName, `quality:${string}`>
export type QualityHandlers = {
  [K in QualityRequest]: (input: Requests[K]['in'], origin: string | undefined) => Promise<Requests[K]['out']>
}

export interface QualityServiceOptions {
  jobs: JobTable
  /** The project open in the service, if any. */
  project: () => Project | null
  /** Turns an edit into the answer other windows hear about (labels:changed), as labels:set does. */
  edited: (group: EditGroup, origin: string | undefined) => Requests['labels:set']['out']
}

export class QualityService {
  readonly #options: QualityServiceOptions

  constructor(options: QualityServiceOptions) {
    this.#options = options
  }

  readonly handlers: QualityHandlers = {
    'quality:suspects': async () => this.#unavailable(),
    'quality:review': async () => this.#unavailable(),
    'quality:uncertain': async () => this.#unavailable(),
    'quality:confirm': async () => this.#unavailable(),
  }

  #unavailable(): never {
    void this.#options
    throw new TagsmithError('UNAVAILABLE', 'not built yet')
  }
}
