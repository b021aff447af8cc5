// The service's dataset health request.
import type { RequestName, Requests } from '../../../src-preload/contract.ts'
import type { Project } from '../dataset/project.ts'
import { TagsmithError } from '../errors.ts'
import type { JobTable } from './jobs.ts'

type HealthRequest = Extract<RequestName, `health:${string}`>
export type HealthHandlers = {
  [K in HealthRequest]: (input: Requests[K]['in'], origin: string | undefined) => Promise<Requests[K]['out']>
}

export interface HealthServiceOptions {
  jobs: JobTable
  /** The project open in the service, if any. */
  project: () => Project | null
}

export class HealthService {
  readonly #options: HealthServiceOptions

  constructor(options: HealthServiceOptions) {
    this.#options = options
  }

  readonly handlers: HealthHandlers = {
    'health:get': async () => {
      void this.#options
      throw new TagsmithError('UNAVAILABLE', 'not built yet')
    },
  }
}
