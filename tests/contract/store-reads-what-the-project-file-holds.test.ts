// Every engine answers reads exactly as the project file it was made from: labels, rows, lookups, stats.
import { describe, expect, it } from 'vitest'
import { Project } from '../../src-main/core/dataset/project.ts'
import { engines } from './engines.ts'
import { smallProjectFile } from './fixture.ts'

function fileView(file: string) {
  const project = Project.open(file)
  try {
    const images = project.images()
    return {
      labels: project.labels(),
      images,
      stats: project.stats(),
      some: project.imagesByIds([images[3]?.id ?? 0, images[0]?.id ?? 0, 999_999]),
      found: project.findImage('e.jpg'),
      foundAsWritten: project.findImage('./e.jpg'),
    }
  } finally {
    project.close()
  }
}

describe.each(engines)('$name store reads', (engine) => {
  it('labels, images, imagesByIds, findImage and stats equal the file', async () => {
    const { file } = await smallProjectFile()
    const expected = fileView(file)
    const store = await engine.open(file)
    try {
      expect(await store.labels()).toEqual(['red', 'blue', 'shirt'])
      expect(await store.labels()).toEqual(expected.labels)
      expect(await store.images()).toEqual(expected.images)
      expect(expected.images.map((i) => i.path)).toEqual(['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg', './e.jpg'])
      const ids = expected.images.map((i) => i.id)
      expect(await store.imagesByIds([ids[3] ?? 0, ids[0] ?? 0, 999_999])).toEqual(expected.some)
      expect(await store.imagesByIds([])).toEqual([])
      expect(await store.findImage('e.jpg')).toEqual(expected.found)
      expect(await store.findImage('./e.jpg')).toEqual(expected.foundAsWritten)
      expect(expected.found?.labels).toEqual([0, 1, 1])
      expect(await store.findImage('nope.jpg')).toBeUndefined()
      expect(await store.stats()).toEqual(expected.stats)
    } finally {
      await store.close()
    }
  })

  it('settings read back as written, and an unknown key is undefined', async () => {
    const { file } = await smallProjectFile()
    const store = await engine.open(file)
    try {
      expect(await store.getSetting('nothing')).toBeUndefined()
      await store.setSetting('groups', [['red', 'blue']])
      await store.setSetting('groups', { colour: ['red', 'blue'], n: 2 })
      expect(await store.getSetting('groups')).toEqual({ colour: ['red', 'blue'], n: 2 })
    } finally {
      await store.close()
    }
  })
})
