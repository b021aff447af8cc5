import { nextTick, onBeforeUnmount, onMounted, ref, type Ref } from 'vue'

/**
 * How many optional parts a one-line bar must fold away to fit its width: level 0 shows everything, each
 * level folds one more. Measured (the bar overflowing its own box) rather than set by breakpoints, because
 * the room left beside docked panels and the length of label names both vary. The steps run in
 * microtasks before the browser paints, so a too-wide state never shows.
 */
export function useFitLevel(el: Readonly<Ref<HTMLElement | null>>, max: number) {
  const level = ref(0)
  let fitting = false
  let width = -1

  const overflowing = (): boolean => {
    const e = el.value
    return e !== null && e.scrollWidth > e.clientWidth + 1
  }

  /** From level 0 (when room may have grown) or from the current level, folding until the bar fits. */
  async function fit(fromZero = true): Promise<void> {
    if (fitting || el.value === null) return
    fitting = true
    try {
      if (fromZero && level.value !== 0) {
        level.value = 0
        await nextTick()
      }
      while (overflowing() && level.value < max) {
        level.value++
        await nextTick()
      }
    } finally {
      fitting = false
    }
  }

  /** After a re-render: fold more only if the new content no longer fits (never unfolds, so cannot loop). */
  function check(): void {
    if (!fitting && overflowing()) void fit(false)
  }

  let observer: ResizeObserver | null = null
  onMounted(() => {
    observer = new ResizeObserver(() => {
      const w = el.value?.clientWidth ?? 0
      if (w !== width) {
        width = w
        void fit()
      }
    })
    if (el.value !== null) observer.observe(el.value)
    void fit()
  })
  onBeforeUnmount(() => observer?.disconnect())

  return { level, fit, check }
}
