// A small project for the contract cases: two CSVs in their own styles, five rows, three labels.
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { Project } from '../../src-main/core/dataset/project.ts'
import type { ProjectStore } from '../../src-main/core/store/project-store.ts'
import { tempDir, writeImages, writeText } from '../unit/dataset/helpers.ts'
import type { Engine } from './engines.ts'

export const TRAIN_CSV = 'image,red,blue,shirt\na.jpg,1,0,1\nb.jpg,0,1,0\nc.jpg,0,0,\nd.jpg,1,1,0\n'
export const VAL_CSV = ',image,red,blue,shirt\r\n0,./e.jpg,0.0,1.0,1.0\r\n'

export interface Fixture {
  dir: string
  file: string
  csvs: string[]
}

/** A fresh project file (dataset.tagsmith) imported from the two CSVs. */
export async function smallProjectFile(): Promise<Fixture> {
  const dir = tempDir()
  writeImages(dir, ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg', 'e.jpg'])
  const csvs = [writeText(dir, 'train.csv', TRAIN_CSV), writeText(dir, 'val.csv', VAL_CSV)]
  const { project } = await Project.importCsvs({ csvs })
  project.close()
  return { dir, file: join(dir, 'dataset.tagsmith'), csvs }
}

const opened: ProjectStore[] = []
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close()
})

/** A store of a fresh small project on `engine`, closed after the test. */
export async function smallStore(engine: Engine): Promise<{ store: ProjectStore } & Fixture> {
  const fixture = await smallProjectFile()
  const store = await engine.open(fixture.file)
  opened.push(store)
  return { store, ...fixture }
}

/** The id of the row with this path, as the store finds it. */
export async function idOf(store: ProjectStore, path: string): Promise<number> {
  const image = await store.findImage(path)
  if (!image) throw new Error(`no image ${path}`)
  return image.id
}
