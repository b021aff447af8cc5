import { defineStore } from 'pinia'
import { computed, onScopeDispose, ref } from 'vue'
import type { JobEnded, JobProgress, WireError } from '../../src-preload/contract.ts'
import { getBridge } from '../bridge.ts'
import { toWireError } from '../lib/errors.ts'

/** Long jobs (feature extraction, training): live progress from events, the last outcome, cancel. */
export const useJobsStore = defineStore('jobs', () => {
  const bridge = getBridge()
  const running = ref<Record<string, JobProgress>>({})
  const lastEnded = ref<JobEnded | null>(null)
  const error = ref<WireError | null>(null)

  const current = computed<JobProgress | null>(() => Object.values(running.value)[0] ?? null)

  function onProgress(p: JobProgress): void {
    running.value = { ...running.value, [p.jobId]: p }
  }

  function onEnded(e: JobEnded): void {
    const rest = { ...running.value }
    delete rest[e.jobId]
    running.value = rest
    lastEnded.value = e
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

  return { running, current, lastEnded, error, cancel }
})
