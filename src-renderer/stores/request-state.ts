import { ref, type Ref } from 'vue'
import type { WireError } from '../../src-preload/contract.ts'
import { toWireError } from '../lib/errors.ts'

export interface RequestState {
  /** True while a request run through `run` is under way. */
  readonly busy: Ref<boolean>
  readonly error: Ref<WireError | null>
  /**
   * Runs one request: `busy` is up and the last error cleared while it runs; a failure lands in `error`
   * and answers false, so a store's action can return what this returns.
   */
  run(work: () => Promise<boolean>): Promise<boolean>
}

/**
 * The busy flag and error a store shows for its requests. Pass another state's `error` so two flags (say
 * loading and reviewing) report into the one error the panel renders.
 */
export function useRequestState(error: Ref<WireError | null> = ref(null)): RequestState {
  const busy = ref(false)

  async function run(work: () => Promise<boolean>): Promise<boolean> {
    busy.value = true
    error.value = null
    try {
      return await work()
    } catch (err) {
      error.value = toWireError(err)
      return false
    } finally {
      busy.value = false
    }
  }

  return { busy, error, run }
}
