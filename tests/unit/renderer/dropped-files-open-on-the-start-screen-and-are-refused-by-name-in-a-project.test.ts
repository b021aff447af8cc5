import { describe, expect, it } from 'vitest'
import { dropAction, dropRefusal } from '../../../src-renderer/lib/drop-decision.ts'

const files = (...names: string[]) => names.map((name) => ({ name, folder: false }))

describe('a drop on the window', () => {
  it('goes to the start screen while no project is open', () => {
    expect(dropAction({ types: ['Files'], entries: files('train.csv', 'val.csv') }, false)).toEqual({ kind: 'start' })
    expect(dropAction({ types: ['Files'], entries: files('apparel.tagsmith') }, false)).toEqual({ kind: 'start' })
  })

  it('is refused in an open project, naming what was dropped', () => {
    expect(dropAction({ types: ['Files'], entries: files('a.jpg', 'b.png', 'c.webp') }, true)).toEqual({
      kind: 'refuse',
      message: 'Adding images by dropping is not available yet: 3 files (a.jpg, b.png, …)',
    })
    expect(dropRefusal(files('a.jpg'))).toBe('Adding images by dropping is not available yet: 1 file (a.jpg)')
    expect(dropRefusal([{ name: 'new_photos', folder: true }, ...files('a.jpg')])).toBe(
      'Adding images by dropping is not available yet: 1 folder and 1 file (new_photos/, a.jpg)',
    )
    expect(dropRefusal([{ name: 'x', folder: true }, { name: 'y', folder: true }])).toBe(
      'Adding images by dropping is not available yet: 2 folders (x/, y/)',
    )
  })

  it('is ignored when it carries no files (dragged text or a link)', () => {
    expect(dropAction({ types: ['text/plain'], entries: [] }, true)).toEqual({ kind: 'ignore' })
    expect(dropAction({ types: ['text/uri-list', 'text/plain'], entries: [] }, false)).toEqual({ kind: 'ignore' })
  })
})
