import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { RecentProjects } from '../../../src-main/core/service/recent.ts'
import { tempDir } from './helpers.ts'

function projectFiles(count: number): string[] {
  const dir = tempDir()
  return Array.from({ length: count }, (_, i) => {
    const file = join(dir, `p${i}.tagsmith`)
    writeFileSync(file, '')
    return file
  })
}

describe('recent projects', () => {
  it('lists the newest first without duplicates, at most twelve', () => {
    const recent = new RecentProjects(join(tempDir(), 'config'))
    const files = projectFiles(14)
    files.forEach((file, i) => recent.add(file, new Date(Date.UTC(2026, 0, 1, 0, i))))
    recent.add(files[3] ?? '', new Date(Date.UTC(2026, 0, 2)))
    const list = recent.list()
    expect(list).toHaveLength(12)
    expect(list[0]).toEqual({ file: files[3], openedAt: '2026-01-02T00:00:00.000Z' })
    expect(list.slice(1, 3).map((e) => e.file)).toEqual([files[13], files[12]])
    expect(new Set(list.map((e) => e.file)).size).toBe(12)
  })

  it('drops projects deleted since, and survives a damaged list file', () => {
    const configDir = join(tempDir(), 'config')
    const recent = new RecentProjects(configDir)
    const [kept, deleted] = projectFiles(2)
    recent.add(kept ?? '')
    recent.add(deleted ?? '')
    rmSync(deleted ?? '')
    expect(recent.list().map((e) => e.file)).toEqual([kept])
    writeFileSync(recent.file, '{ not json')
    expect(recent.list()).toEqual([])
    recent.add(kept ?? '')
    expect(recent.list().map((e) => e.file)).toEqual([kept])
  })

  it('ignores entries of the wrong shape', () => {
    const configDir = join(tempDir(), 'config')
    mkdirSync(configDir)
    const [file] = projectFiles(1)
    const recent = new RecentProjects(configDir)
    writeFileSync(recent.file, JSON.stringify([{ file }, 42, { file, openedAt: '2026-01-01T00:00:00.000Z' }, null]))
    expect(recent.list()).toEqual([{ file, openedAt: '2026-01-01T00:00:00.000Z' }])
  })
})
