import { defineStore } from 'pinia'
import { computed, onScopeDispose, shallowRef } from 'vue'
import { getBridge, type LinkState } from '../bridge.ts'

/**
 * How the page's link to the server stands (web mode; the desktop app's never drops): whether it is
 * reconnecting, and why it ended if the server ended this page's access.
 */
export const useConnectionStore = defineStore('connection', () => {
  const link = getBridge().link
  const state = shallowRef<LinkState>(link?.state ?? { kind: 'open' })
  const off = link?.watch((next) => (state.value = next))
  if (off) onScopeDispose(off)

  const reconnecting = computed(() => state.value.kind === 'reconnecting')
  /** Set once nothing more can be sent: the headline and the reason to show, blocking the app. */
  const ended = computed(() => {
    const s = state.value
    if (s.kind === 'ended') return { title: 'Your access to this server ended', reason: s.reason }
    if (s.kind === 'refused') return { title: 'Could not connect to this server', reason: s.reason }
    return null
  })

  return { state, reconnecting, ended }
})
