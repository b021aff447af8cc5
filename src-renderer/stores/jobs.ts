import { defineStore } from 'pinia'
import { computed, onScopeDispose, ref } from 'vue'
import type { JobEnded, JobProgress, WireError } from '../../src-preload/contract.ts'
import { getBridge } from '../bridge.ts'
import { toWireError } from '../lib/errors.ts'
import { useImagesStore } from './images.ts'

/**
 * Kinds the app starts by itself (filling the thumbnail cache after a project opens): shown on a line of
 * their own, never in the place of a job the user started, and their end is not that job's outcome.
 */
export const BACKGROUND_KINDS: ReadonlySet<string> = new Set(['thumbnails'])

/** Long jobs (feature extraction, training): live progress from events, the last outcome, cancel. */
export const useJobsStore = defineStore('jobs', () => {
  const bridge = getBridge()
  const running = ref<Record<string, JobProgress>>({})
  const lastEnded = ref<JobEnded | null>(null)
  const error = ref<WireError | null>(null)

  const current = computed<JobProgress | null>(() => Object.values(running.value).find((p) => !BACKGROUND_KINDS.has(p.kind)) ?? null)
  /** The running job the app started by itself, if any. */
  const background = computed<JobProgress | null>(() => Object.values(running.value).find((p) => BACKGROUND_KINDS.has(p.kind)) ?? null)

  function onProgress(p: JobProgress): void {
    running.value = { ...running.value, [p.jobId]: p }
  }

  function onEnded(e: JobEnded): void {
    const rest = { ...running.value }
    delete rest[e.jobId]
    running.value = rest
    if (!BACKGROUND_KINDS.has(e.kind)) lastEnded.value = e
    // The job recorded the tints of the thumbnails it made: tiles can show them from now on.
    else if (e.kind === 'thumbnails' && e.status === 'done') void useImagesStore().refreshTints()
  }

  async function cancel(jobId: string): Promise<void> {
    try {
      await bridge.invoke('job:cancel', { jobId })
    } catch (err) {
      error.value = toWireError(err)
    }
  }

  const offs = [bridge.on('job:progress', onProgress), bridge.on('job:ended', onEnded)]
  onScopeDispose(() => offs.forEach((off) => off()))

  return { running, current, background, lastEnded, error, cancel }
})
