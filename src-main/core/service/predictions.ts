// The service's prediction, threshold and model-export requests.
import type { RequestName, Requests } from '../../../src-preload/contract.ts'
import type { Project } from '../dataset/project.ts'
import { TagsmithError } from '../errors.ts'

type PredictionRequest = Extract<RequestName, 'predict:get' | 'thresholds:set' | 'thresholds:tune' | 'model:export'>
export type PredictionHandlers = {
  [K in PredictionRequest]: (input: Requests[K]['in'], origin: string | undefined) => Promise<Requests[K]['out']>
}

export interface PredictionServiceOptions {
  project: () => Project | null
}

const notBuilt = (name: string): never => {
  throw new TagsmithError('UNAVAILABLE', `${name} is not built yet`)
}

export class PredictionService {
  readonly #options: PredictionServiceOptions

  constructor(options: PredictionServiceOptions) {
    this.#options = options
  }

  readonly handlers: PredictionHandlers = {
    'predict:get': async () => notBuilt('predict:get'),
    'thresholds:set': async () => notBuilt('thresholds:set'),
    'thresholds:tune': async () => notBuilt('thresholds:tune'),
    'model:export': async () => notBuilt('model:export'),
  }

  get project(): Project | null {
    return this.#options.project()
  }
}
