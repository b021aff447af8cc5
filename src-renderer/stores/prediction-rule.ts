import { defineStore } from 'pinia'
import { ref } from 'vue'

/**
 * How probabilities become decisions beside the thresholds: whether declared label groups are decided by
 * their most probable label. One source for every view that decides or compares runs (predictions, the
 * Train panel's metrics, the active-run question).
 */
export const usePredictionRuleStore = defineStore('predictionRule', () => {
  const decodeGroups = ref(true)

  function setDecodeGroups(on: boolean): void {
    decodeGroups.value = on
  }

  return { decodeGroups, setDecodeGroups }
})
