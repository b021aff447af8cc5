import { openTryModel, type TryModel, type TryRun } from './try-model.ts'
import type { EngineName } from './onnx/engines.ts'

// The runs opened for trying images, kept warm between calls: loading a backbone takes about a second,
// labelling an image with it a few tens of milliseconds. Two at most (switching between two runs stays
// fast); the least recently used is dropped first.

export const TRY_CACHE_SIZE = 2

export class TryModelCache {
  readonly #models = new Map<string, Promise<TryModel>>()
  readonly #size: number

  constructor(size = TRY_CACHE_SIZE) {
    this.#size = size
  }

  /** The model for `key` (a project and one of its runs), opened on first use; `cold` tells whether it was. */
  async get(key: string, run: TryRun, opts: { cacheDir?: string; engine?: EngineName } = {}): Promise<{ model: TryModel; cold: boolean }> {
    const found = this.#models.get(key)
    if (found) {
      this.#models.delete(key)
      this.#models.set(key, found)
      return { model: await found, cold: false }
    }
    const opening = openTryModel(run, opts)
    this.#models.set(key, opening)
    // A model that fails to open is not kept: the next call tries again.
    opening.catch(() => {
      if (this.#models.get(key) === opening) this.#models.delete(key)
    })
    for (const [old, model] of this.#models) {
      if (this.#models.size <= this.#size) break
      this.#models.delete(old)
      void model.then((m) => m.dispose(), () => undefined)
    }
    return { model: await opening, cold: true }
  }

  clear(): void {
    for (const model of this.#models.values()) void model.then((m) => m.dispose(), () => undefined)
    this.#models.clear()
  }
}
