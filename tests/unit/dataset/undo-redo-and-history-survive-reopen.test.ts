import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { tempDir, writeImages, writeText } from './helpers.ts'

async function smallProject(): Promise<{ project: Project; file: string }> {
  const dir = tempDir()
  writeImages(dir, ['a.jpg', 'b.jpg', 'c.jpg'])
  const csv = writeText(dir, 'train.csv', 'image,cat,dog\na.jpg,1,0\nb.jpg,0,\nc.jpg,0,0\n')
  const { project } = await Project.importCsvs({ csvs: [csv] })
  return { project, file: join(dir, 'dataset.tagsmith') }
}

describe('label edits', () => {
  it('record one group with old and new values; no-op and repeated changes collapse', async () => {
    const { project } = await smallProject()
    const group = project.edits.setLabels([
      { imageId: 1, label: 'cat', value: 1 }, // already 1: skipped
      { imageId: 2, label: 'dog', value: 0 }, // empty -> 0
      { imageId: 3, label: 'cat', value: 1 },
      { imageId: 3, label: 'cat', value: 0 }, // back to 0 in the same group: no change
      { imageId: 3, label: 'dog', value: 1 },
    ])
    expect(group.group).toBeGreaterThan(0)
    expect(group.changes).toEqual([
      { imageId: 2, label: 'dog', old: null, new: 0 },
      { imageId: 3, label: 'dog', old: 0, new: 1 },
    ])
    expect(project.edits.setLabels([{ imageId: 1, label: 'cat', value: 1 }])).toMatchObject({ group: 0, changes: [] })
    expect(project.edits.history()).toHaveLength(1)
    expect(project.image(3)).toMatchObject({ labels: [0, 1], edited: true })
    expect(project.image(1)).toMatchObject({ labels: [1, 0], edited: false })
    project.close()
  })

  it('reject unknown labels, unknown images and values other than 0/1, changing nothing', async () => {
    const { project } = await smallProject()
    expect(() => project.edits.setLabels([{ imageId: 1, label: 'cow', value: 1 }])).toThrow(/unknown label "cow"/)
    expect(() =>
      project.edits.setLabels([
        { imageId: 1, label: 'dog', value: 1 },
        { imageId: 99, label: 'cat', value: 1 },
      ]),
    ).toThrow(/no image with id 99/)
    const bad = [{ imageId: 1, label: 'cat', value: 2 }] as unknown as Parameters<Project['edits']['setLabels']>[0]
    expect(() => project.edits.setLabels(bad)).toThrow(/must be 0 or 1/)
    expect(project.image(1)?.labels).toEqual([1, 0])
    expect(project.edits.history()).toEqual([])
    project.close()
  })

  it('undo and redo walk the log, also after closing and reopening the project', async () => {
    const { project, file } = await smallProject()
    const g1 = project.edits.setLabels([{ imageId: 1, label: 'dog', value: 1 }])
    const g2 = project.edits.setLabels([
      { imageId: 2, label: 'cat', value: 1 },
      { imageId: 3, label: 'dog', value: 1 },
    ])
    project.close()

    let p = Project.open(file)
    expect(p.edits.history().map((g) => g.group)).toEqual([g2.group, g1.group])
    expect(p.edits.undo()).toEqual(g2)
    expect([p.image(2)?.labels, p.image(3)?.labels]).toEqual([[0, null], [0, 0]])
    p.close()

    p = Project.open(file)
    expect(p.edits.history().map((g) => g.group)).toEqual([g1.group])
    expect(p.edits.redo()).toEqual(g2)
    expect(p.edits.redo()).toBeNull()
    expect([p.image(2)?.labels, p.image(3)?.labels]).toEqual([[1, null], [0, 1]])
    expect(p.edits.undo()?.group).toBe(g2.group)
    expect(p.edits.undo()?.group).toBe(g1.group)
    expect(p.edits.undo()).toBeNull()
    expect(p.changesSinceImport().cells).toBe(0)
    p.close()

    p = Project.open(file)
    expect(p.edits.redo()?.group).toBe(g1.group)
    // A new edit ends the redo branch: g2 is gone for good.
    const g3 = p.edits.setLabels([{ imageId: 3, label: 'cat', value: 1 }])
    expect(g3.group).toBeGreaterThan(g2.group)
    expect(p.edits.redo()).toBeNull()
    expect(p.edits.history().map((g) => g.group)).toEqual([g3.group, g1.group])
    p.close()
  })

  it('summarise changes since import per label', async () => {
    const { project } = await smallProject()
    project.edits.setLabels([
      { imageId: 1, label: 'cat', value: 0 },
      { imageId: 2, label: 'cat', value: 1 },
      { imageId: 2, label: 'dog', value: 1 },
    ])
    project.edits.setLabels([{ imageId: 2, label: 'cat', value: 0 }]) // back to imported value
    expect(project.changesSinceImport()).toEqual({
      cells: 2,
      images: 2,
      byLabel: { cat: { set: 0, cleared: 1 }, dog: { set: 1, cleared: 0 } },
    })
    project.close()
  })
})

describe('project settings and splits', () => {
  it('store JSON settings and split changes persistently', async () => {
    const { project, file } = await smallProject()
    expect(project.getSetting('groups')).toBeUndefined()
    project.setSetting('groups', [{ name: 'animal', labels: ['cat', 'dog'] }])
    project.setSplit([1, 3], 'test')
    expect(() => project.setSplit([1], 'holdout' as 'test')).toThrow(/split must be/)
    expect(() => project.setSplit([1, 42], 'val')).toThrow(/no image with id 42/)
    project.close()
    const p = Project.open(file)
    expect(p.getSetting<Array<{ name: string }>>('groups')).toEqual([{ name: 'animal', labels: ['cat', 'dog'] }])
    expect(p.images().map((i) => i.split)).toEqual(['test', 'train', 'test'])
    p.setSetting('groups', undefined)
    expect(p.getSetting('groups')).toBeUndefined()
    p.close()
  })

  it('refuse to open a missing project file with NOT_FOUND', () => {
    expect(() => Project.open(join(tempDir(), 'none.tagsmith'))).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }))
  })
})
