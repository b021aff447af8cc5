import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { DatasetHealth, WireError } from '../../src-preload/contract.ts'
import { getBridge } from '../bridge.ts'
import { toWireError } from '../lib/errors.ts'
import { usePredictionsStore } from './predictions.ts'
import { useTrainingStore } from './training.ts'

/**
 * The Dataset health panel: the service's health report (counts, rare labels, co-occurrence, group
 * violations, flagged images, near-duplicates) and the similarity threshold it was asked with. The only
 * caller of the bridge for health.
 */
export const useHealthStore = defineStore('health', () => {
  const bridge = getBridge()

  const panelOpen = ref(false)
  const health = shallowRef<DatasetHealth | null>(null)
  const loading = ref(false)
  const error = ref<WireError | null>(null)
  /** The near-duplicate threshold asked for; null leaves it to the service. */
  const similarity = ref<number | null>(null)
  let loadSeq = 0

  async function load(): Promise<void> {
    const seq = ++loadSeq
    loading.value = true
    error.value = null
    try {
      const input = similarity.value === null ? {} : { similarity: similarity.value }
      const answer = await bridge.invoke('health:get', input)
      if (seq === loadSeq) health.value = answer
    } catch (err) {
      if (seq === loadSeq) error.value = toWireError(err)
    } finally {
      if (seq === loadSeq) loading.value = false
    }
  }

  /** Docked where the Train and Predictions panels go: one side panel at a time. */
  function openPanel(): void {
    panelOpen.value = true
    useTrainingStore().closePanel()
    usePredictionsStore().closePanel()
    void load()
  }

  function closePanel(): void {
    panelOpen.value = false
  }

  function togglePanel(): void {
    if (panelOpen.value) closePanel()
    else openPanel()
  }

  return { panelOpen, health, loading, error, similarity, load, openPanel, closePanel, togglePanel }
})
