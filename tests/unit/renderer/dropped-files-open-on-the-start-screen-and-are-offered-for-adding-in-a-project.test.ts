import { describe, expect, it } from 'vitest'
import { dropAction } from '../../../src-renderer/lib/drop-decision.ts'

const files = (...names: string[]) => names.map((name) => ({ name, folder: false }))

describe('a drop on the window', () => {
  it('goes to the start screen while no project is open', () => {
    expect(dropAction({ types: ['Files'], entries: files('train.csv', 'val.csv') }, false)).toEqual({ kind: 'start' })
    expect(dropAction({ types: ['Files'], entries: files('apparel.tagsmith') }, false)).toEqual({ kind: 'start' })
  })

  it('is offered for adding in an open project, files and folders alike', () => {
    expect(dropAction({ types: ['Files'], entries: files('a.jpg', 'b.png', 'c.webp') }, true)).toEqual({ kind: 'add' })
    expect(dropAction({ types: ['Files'], entries: [{ name: 'new_photos', folder: true }] }, true)).toEqual({ kind: 'add' })
  })

  it('is ignored when it carries no files (dragged text or a link)', () => {
    expect(dropAction({ types: ['text/plain'], entries: [] }, true)).toEqual({ kind: 'ignore' })
    expect(dropAction({ types: ['text/uri-list', 'text/plain'], entries: [] }, false)).toEqual({ kind: 'ignore' })
  })
})
