// A small apparel project for store tests: the first rows of the fixture's train and val CSVs, imported
// into a temp project file (a few dozen rows keep the PostgreSQL tests quick).
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { apparelDir, tempDir } from '../../unit/dataset/helpers.ts'

export interface SmallProject {
  dir: string
  file: string
  csvs: string[]
}

/** `rows` records of each fixture CSV (header kept, bytes as in the fixture) imported into dir/dataset.tagsmith. */
export async function smallApparelProject(rows = 20): Promise<SmallProject> {
  const dir = tempDir()
  const csvs = ['train.csv', 'val.csv'].map((name) => {
    const text = readFileSync(join(apparelDir(), name), 'utf8')
    const lines = text.split(/(?<=\n)/)
    const target = join(dir, name)
    writeFileSync(target, lines.slice(0, rows + 1).join(''))
    return target
  })
  symlinkSync(join(apparelDir(), 'clothes_dataset'), join(dir, 'clothes_dataset'), 'dir')
  const file = join(dir, 'dataset.tagsmith')
  const { project } = await Project.importCsvs({ csvs, projectFile: file })
  project.close()
  return { dir, file, csvs }
}
