import { spawnSync } from 'node:child_process'
import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { processAlive } from '../../../src-main/core/dataset/stale-temps.ts'
import { sampleJpeg, tempDir } from './helpers.ts'

const opened: Project[] = []
afterAll(() => {
  for (const p of opened) p.close()
})

it('an import removes the temp files a killed import left, and keeps those of a live one', async () => {
  const dir = tempDir()
  writeFileSync(join(dir, 'a.jpg'), sampleJpeg())
  writeFileSync(join(dir, 'train.csv'), 'image,cat\na.jpg,1\n')
  // A process that has exited: its id is free (reuse within this test is not a concern on Linux's pid counter).
  const dead = spawnSync(process.execPath, ['-e', '0']).pid
  expect(dead).toBeGreaterThan(0)
  expect(processAlive(dead)).toBe(false)
  const stale = [`dataset.tagsmith.${dead}.0a1b2c3d.tmp`, `dataset.tagsmith.${dead}.0a1b2c3d.tmp-wal`]
  const live = `dataset.tagsmith.${process.ppid}.deadbeef.tmp`
  const unrelated = ['other.tagsmith.1.00.tmp', 'dataset.tagsmith.notes.tmp']
  for (const name of [...stale, live, ...unrelated]) writeFileSync(join(dir, name), 'half a project')

  const { project } = await Project.importCsvs({ csvs: [join(dir, 'train.csv')] })
  opened.push(project)

  // The open project's own -wal/-shm aside.
  const left = readdirSync(dir).filter((f) => !/^dataset\.tagsmith-(wal|shm)$/.test(f))
  expect(left.sort()).toEqual(['a.jpg', 'dataset.tagsmith', live, ...unrelated, 'train.csv'].sort())
})
