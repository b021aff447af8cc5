// The service's similar-images request. The normalised feature matrix stays in memory between queries
// (one per project and feature key), so each query after the first is one matrix-vector product.
import type { Project } from '../dataset/project.ts'
import { SimilarityIndex, similarImages } from '../health/similar-images.ts'
import type { HandlerTable } from './handler-table.ts'
import { requireOpen } from './open-project.ts'

export interface SimilarServiceOptions {
  /** The project open in the service, if any. */
  project: () => Project | null
}

export class SimilarService {
  readonly #options: SimilarServiceOptions
  readonly #index = new SimilarityIndex()

  constructor(options: SimilarServiceOptions) {
    this.#options = options
  }

  readonly handlers: HandlerTable<'images:similar'> = {
    'images:similar': async (input) => similarImages(requireOpen(this.#options.project()), this.#index, input),
  }

  /** Lets the kept matrices go (another project opened, or none is). */
  forget(): void {
    this.#index.clear()
  }
}
