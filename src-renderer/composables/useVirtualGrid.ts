import { computed, onBeforeUnmount, onMounted, ref, type Ref } from 'vue'

export interface GridCell {
  index: number
  x: number
  y: number
  /** In a row on screen, not one of the overscan rows: its image is wanted first. */
  shown: boolean
}

export interface VirtualGridOptions {
  count: Ref<number>
  tileSize: Ref<number>
  gap: number
  padding: number
  /** Rows rendered above and below the viewport, so a fast scroll rarely shows empty space. */
  overscanRows: number
  /** Room kept free below the last row, where an overlay (the bulk bar) may sit; reveal keeps tiles above it. */
  bottomInset?: number
}

/**
 * Windowing for a grid of equal square tiles: only the rows in view (plus overscan) are rendered, each tile
 * absolutely positioned inside a spacer as tall as the whole grid. Scroll events only record the offset;
 * the visible range is recomputed at most once per animation frame.
 */
export function useVirtualGrid(scroller: Ref<HTMLElement | null>, opts: VirtualGridOptions) {
  const scrollTop = ref(0)
  const width = ref(0)
  const height = ref(0)
  let frame = 0
  let observer: ResizeObserver | null = null

  const inner = computed(() => Math.max(0, width.value - 2 * opts.padding))
  const columns = computed(() => Math.max(1, Math.floor((inner.value + opts.gap) / (opts.tileSize.value + opts.gap))))
  /** Tiles grow a little beyond the asked size so that the columns fill the width. */
  const cellSize = computed(() =>
    Math.max(opts.tileSize.value, Math.floor((inner.value + opts.gap) / columns.value - opts.gap)),
  )
  const pitch = computed(() => cellSize.value + opts.gap)
  const rowCount = computed(() => Math.ceil(opts.count.value / columns.value))
  const inset = opts.bottomInset ?? 0
  const totalHeight = computed(() => Math.max(0, rowCount.value * pitch.value - opts.gap) + 2 * opts.padding + inset)

  // The rendered rows, as two numbers: scrolling within a row changes neither, so the tiles are
  // recomputed (and the grid re-rendered) only when a row enters or leaves, not on every frame.
  const firstShown = computed(() => Math.floor((scrollTop.value - opts.padding) / pitch.value))
  const lastShown = computed(() => Math.ceil((scrollTop.value + height.value - opts.padding) / pitch.value))
  const firstRow = computed(() => Math.max(0, firstShown.value - opts.overscanRows))
  const lastRow = computed(() => Math.min(rowCount.value - 1, lastShown.value + opts.overscanRows))

  const cells = computed<GridCell[]>(() => {
    const p = pitch.value
    const cols = columns.value
    const out: GridCell[] = []
    const end = Math.min(opts.count.value, (lastRow.value + 1) * cols)
    for (let i = firstRow.value * cols; i < end; i++) {
      const row = Math.floor(i / cols)
      out.push({ index: i, x: opts.padding + (i % cols) * p, y: opts.padding + row * p, shown: row >= firstShown.value && row <= lastShown.value })
    }
    return out
  })

  function measure(): void {
    const el = scroller.value
    if (el === null) return
    width.value = el.clientWidth
    height.value = el.clientHeight
    scrollTop.value = el.scrollTop
  }

  function onScroll(): void {
    if (frame !== 0) return
    frame = requestAnimationFrame(() => {
      frame = 0
      if (scroller.value !== null) scrollTop.value = scroller.value.scrollTop
    })
  }

  /** Scrolls the least needed to show tile `index` whole. */
  function reveal(index: number): void {
    const el = scroller.value
    if (el === null || index < 0) return
    const top = opts.padding + Math.floor(index / columns.value) * pitch.value
    const bottom = top + cellSize.value
    if (top < el.scrollTop) el.scrollTop = top - opts.padding
    else if (bottom > el.scrollTop + el.clientHeight - inset) el.scrollTop = bottom - el.clientHeight + inset + opts.padding
    scrollTop.value = el.scrollTop
  }

  onMounted(() => {
    measure()
    observer = new ResizeObserver(measure)
    if (scroller.value !== null) observer.observe(scroller.value)
  })

  onBeforeUnmount(() => {
    observer?.disconnect()
    if (frame !== 0) cancelAnimationFrame(frame)
  })

  return { cells, columns, cellSize, totalHeight, onScroll, reveal, measure }
}
