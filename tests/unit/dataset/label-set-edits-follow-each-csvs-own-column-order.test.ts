import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { editLabelSet } from '../../../src-main/core/dataset/label-set.ts'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { putReview } from '../../../src-main/core/quality/reviews.ts'
import { tempDir, writeImages, writeText } from './helpers.ts'

// Two CSVs with their label columns in different orders (the project takes the first's): each keeps its own
// order except where a step moves a label, which goes beside its new neighbour in each file.
const TRAIN = 'image,red,blue,dress\na.jpg,1,0,1\n'
const VAL = 'image;dress;blue;red\nb.jpg;0;1;0\n'

async function twoFiles(): Promise<{ project: Project; dir: string }> {
  const dir = tempDir()
  writeImages(dir, ['a.jpg', 'b.jpg'])
  const csvs = [writeText(dir, 'train.csv', TRAIN), writeText(dir, 'val.csv', VAL)]
  return { project: (await Project.importCsvs({ csvs })).project, dir }
}

function exported(p: Project, dir: string, name: string): [string, string] {
  p.exportCsvs(join(dir, name))
  return [readFileSync(join(dir, name, 'train.csv'), 'utf8'), readFileSync(join(dir, name, 'val.csv'), 'utf8')]
}

describe('label-set edits in a project of several CSVs', () => {
  it('move places the column beside its new neighbour in each file; add appends to each in its delimiter', async () => {
    const { project: p, dir } = await twoFiles()
    editLabelSet(p, { op: 'move', name: 'red', to: 2 })
    expect(p.labels()).toEqual(['blue', 'red', 'dress'])
    expect(exported(p, dir, 'a')).toEqual(['image,blue,red,dress\na.jpg,0,1,1\n', 'image;dress;blue;red\nb.jpg;0;1;0\n'])
    editLabelSet(p, { op: 'add', name: 'a\nb', value: 0 })
    expect(exported(p, dir, 'b')).toEqual(['image,blue,red,dress,"a\nb"\na.jpg,0,1,1,0\n', 'image;dress;blue;red;"a\nb"\nb.jpg;0;1;0;0\n'])
    // The exported files import again, with the new name read back as written.
    const again = await Project.importCsvs({ csvs: [join(dir, 'b', 'train.csv'), join(dir, 'b', 'val.csv')], projectFile: join(dir, 'again.tagsmith') })
    expect(again.project.labels()).toEqual(['blue', 'red', 'dress', 'a\nb'])
    again.project.close()
    p.edits.undo()
    p.edits.undo()
    expect(exported(p, dir, 'c')).toEqual([TRAIN, VAL])
    p.close()
  })

  it('remove takes the reviews of the label with it and its undo puts them back', async () => {
    const { project: p } = await twoFiles()
    const blue = p.db.prepare("SELECT id FROM labels WHERE name = 'blue'").pluck().get() as number
    putReview(p.db, { imageId: 2, labelId: blue, value: 1, outcome: 'kept', runId: null, probability: 0.2 })
    editLabelSet(p, { op: 'remove', name: 'blue' })
    expect(p.db.prepare('SELECT count(*) FROM label_reviews').pluck().get()).toBe(0)
    p.edits.undo()
    expect(p.db.prepare('SELECT image_id, label_id, value, outcome, probability FROM label_reviews').all()).toEqual([
      { image_id: 2, label_id: blue, value: 1, outcome: 'kept', probability: 0.2 },
    ])
    p.close()
  })
})
