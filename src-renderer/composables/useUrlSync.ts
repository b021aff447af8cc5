import { watch } from 'vue'
import { formatUrlState, parseUrlState } from '../lib/url-state.ts'
import { useFiltersStore } from '../stores/filters.ts'
import { useImagesStore } from '../stores/images.ts'
import { useViewStore } from '../stores/view.ts'

/**
 * Keeps the filter and the open image in the address (`#has=red&split=val&image=12`), so a reload or a
 * shared link shows the same view. The address is replaced, not pushed: filtering does not fill history.
 */
export function useUrlSync(): void {
  const filters = useFiltersStore()
  const view = useViewStore()
  const images = useImagesStore()
  let pendingImage: number | null = null

  function openPending(): void {
    if (pendingImage === null || images.count === 0) return
    if (images.row(pendingImage) !== undefined) view.openEditor(pendingImage)
    pendingImage = null
  }

  function readAddress(): void {
    const state = parseUrlState(window.location.hash)
    if (formatUrlState(state) === formatUrlState({ filter: filters.filter, image: view.current })) return
    filters.replace(state.filter)
    if (state.image === null) view.closeEditor()
    pendingImage = state.image
    openPending()
  }

  readAddress()
  watch(() => images.version, openPending)
  watch([() => filters.filter, () => view.current], () => {
    const hash = formatUrlState({ filter: filters.filter, image: view.current })
    if (hash === window.location.hash.replace(/^#/, '')) return
    const { pathname, search } = window.location
    window.history.replaceState(window.history.state, '', hash === '' ? pathname + search : `${pathname}${search}#${hash}`)
  })
  window.addEventListener('hashchange', readAddress)
}
