import type { Page } from '@playwright/test'

/** An element that scrolls sideways or reaches past the window's right edge. */
export interface Overflow {
  /** tag, data-testid or classes, and the nearest data-testid above it */
  what: string
  /** 'scrolls' (scrollWidth > clientWidth and overflow-x not hidden/clip) or 'past-right-edge' */
  why: 'scrolls' | 'past-right-edge'
  scrollWidth: number
  clientWidth: number
  right: number
}

/**
 * Every element under `root` (the whole page by default) that scrolls sideways, or whose box extends past
 * the viewport's right edge. Elements not rendered (display: none, zero size) are skipped.
 */
export async function sidewaysOverflow(page: Page, root = 'body'): Promise<Overflow[]> {
  return page.evaluate((selector) => {
    // Runs in the page; this Node-side file has no DOM types, so it names what it reads.
    interface El {
      tagName: string
      className: unknown
      scrollWidth: number
      clientWidth: number
      getAttribute(n: string): string | null
      getBoundingClientRect(): { left: number; right: number; width: number; height: number }
      closest(s: string): El | null
      parentElement: El | null
      querySelectorAll(s: string): Iterable<El>
    }
    const g = globalThis as unknown as {
      document: { querySelector(s: string): El | null }
      innerWidth: number
      getComputedStyle(e: El): { overflowX: string; display: string; visibility: string }
    }
    const top = g.document.querySelector(selector)
    if (top === null) return []
    const name = (e: El): string => {
      const id = e.getAttribute('data-testid')
      const cls = typeof e.className === 'string' && e.className !== '' ? `.${e.className.trim().split(/\s+/).join('.')}` : ''
      const own = id !== null ? `[data-testid=${id}]` : cls
      const above = e.parentElement?.closest('[data-testid]')?.getAttribute('data-testid')
      return `${e.tagName.toLowerCase()}${own}${above ? ` in ${above}` : ''}`
    }
    const out: Overflow[] = []
    for (const e of [top, ...top.querySelectorAll('*')]) {
      const style = g.getComputedStyle(e)
      if (style.display === 'none' || style.visibility === 'hidden') continue
      const box = e.getBoundingClientRect()
      if (box.width === 0 && box.height === 0) continue
      const clips = style.overflowX === 'hidden' || style.overflowX === 'clip'
      const base = { what: name(e), scrollWidth: e.scrollWidth, clientWidth: e.clientWidth, right: Math.round(box.right) }
      if (!clips && e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1) out.push({ ...base, why: 'scrolls' })
      else if (box.right > g.innerWidth + 1) out.push({ ...base, why: 'past-right-edge' })
    }
    return out
  }, root)
}
