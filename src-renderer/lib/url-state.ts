import type { ImageStatus, Split } from '../../src-preload/contract.ts'
import { emptyFilter, SPLITS, STATUSES, type EditedFilter, type Filter } from './filter.ts'

/** What the address keeps across reloads: the filter and the image open in the editor. */
export interface UrlState {
  filter: Filter
  image: number | null
}

const list = (names: readonly string[]): string => names.map(encodeURIComponent).join(',')
const unlist = (value: string): string[] =>
  value === '' ? [] : value.split(',').map((v) => decodeURIComponent(v))

/** `#has=red,dress&lacks=shoes&split=train&q=abc` — empty parts are left out, so no filter is `''`. */
export function formatUrlState(state: UrlState): string {
  const f = state.filter
  const parts: string[] = []
  const has = Object.keys(f.labels).filter((l) => f.labels[l] === 'has')
  const lacks = Object.keys(f.labels).filter((l) => f.labels[l] === 'lacks')
  if (has.length > 0) parts.push(`has=${list(has)}`)
  if (lacks.length > 0) parts.push(`lacks=${list(lacks)}`)
  if (f.splits.length > 0) parts.push(`split=${list(f.splits)}`)
  if (f.statuses.length > 0) parts.push(`status=${list(f.statuses)}`)
  if (f.edited !== 'any') parts.push(`edited=${f.edited}`)
  if (f.violations) parts.push('violations=1')
  if (f.search !== '') parts.push(`q=${encodeURIComponent(f.search)}`)
  if (state.image !== null) parts.push(`image=${state.image}`)
  return parts.join('&')
}

/** Reads what formatUrlState wrote; unknown keys and values are ignored, never fatal. */
export function parseUrlState(hash: string): UrlState {
  const filter = emptyFilter()
  let image: number | null = null
  const text = hash.startsWith('#') ? hash.slice(1) : hash
  for (const part of text.split('&')) {
    const eq = part.indexOf('=')
    if (eq <= 0) continue
    const key = part.slice(0, eq)
    const raw = part.slice(eq + 1)
    try {
      switch (key) {
        case 'has':
          for (const l of unlist(raw)) filter.labels[l] = 'has'
          break
        case 'lacks':
          for (const l of unlist(raw)) filter.labels[l] = 'lacks'
          break
        case 'split':
          filter.splits = unlist(raw).filter((s): s is Split => (SPLITS as readonly string[]).includes(s))
          break
        case 'status':
          filter.statuses = unlist(raw).filter((s): s is ImageStatus => (STATUSES as readonly string[]).includes(s))
          break
        case 'edited':
          if (raw === 'edited' || raw === 'unedited') filter.edited = raw satisfies EditedFilter
          break
        case 'violations':
          filter.violations = raw === '1'
          break
        case 'q':
          filter.search = decodeURIComponent(raw)
          break
        case 'image': {
          const id = Number(raw)
          image = Number.isSafeInteger(id) ? id : null
          break
        }
      }
    } catch {
      // A malformed %-escape in a hand-edited address: skip that part.
    }
  }
  return { filter, image }
}
