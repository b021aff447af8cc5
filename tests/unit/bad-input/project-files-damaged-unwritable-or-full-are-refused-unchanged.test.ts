import Database from 'better-sqlite3'
import { closeSync, copyFileSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ImageRow, ProjectInfo } from '../../../src-preload/contract.ts'
import type { Service } from '../../../src-main/core/service/index.ts'
import { mountTmpfs, mountUnavailable, type Mounted } from './support/filesystems.ts'
import { apparelProject, errorOf, expectPlainMessage, expectServiceAlive, newService, removeTemps, resultOf, tempDir } from './support/service.ts'
import { bytesOf, tables, tree } from './support/snapshot.ts'

let pristine = ''
let service: Service
let baseline = ''

beforeAll(async () => {
  pristine = await apparelProject(12)
  baseline = await apparelProject(4)
  service = newService()
  resultOf(await service.handle('project:open', { file: baseline }), 'open baseline')
})
afterAll(() => {
  service.close()
  removeTemps()
})

/** A copy of a real project, then `damage` applied to its bytes. */
function damagedCopy(name: string, damage: (file: string) => void): string {
  const file = join(tempDir('project'), `${name}.tagsmith`)
  copyFileSync(pristine, file)
  damage(file)
  return file
}

function overwrite(file: string, at: number, bytes: Buffer): void {
  const fd = openSync(file, 'r+')
  try {
    writeSync(fd, bytes, 0, bytes.length, at)
  } finally {
    closeSync(fd)
  }
}

interface DamagedCase {
  name: string
  damage: (file: string) => void
  code: string
  message: (file: string) => RegExp
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

const DAMAGED: DamagedCase[] = [
  {
    name: 'written by a newer Tagsmith',
    damage: (file) => {
      const db = new Database(file)
      db.pragma('user_version = 9999')
      db.close()
    },
    code: 'TOO_NEW',
    message: (file) => new RegExp(`^${escape(file)} was written by a newer version of Tagsmith \\(schema 9999; .*Update Tagsmith`),
  },
  {
    name: 'random bytes over its header',
    damage: (file) => overwrite(file, 0, Buffer.alloc(100, 0xab)),
    code: 'BAD_INPUT',
    message: (file) => new RegExp(`^${escape(file)} is not a Tagsmith project \\(not an SQLite database\\)$`),
  },
  {
    name: 'random bytes over a page in the middle',
    damage: (file) => overwrite(file, 8192, Buffer.alloc(4096, 0xab)),
    code: 'BAD_INPUT',
    message: (file) => new RegExp(`^${escape(file)} is damaged or not a Tagsmith project`),
  },
  {
    name: 'cut to half its size',
    damage: (file) => truncateSync(file, Math.floor(statSync(file).size / 2)),
    code: 'BAD_INPUT',
    message: (file) => new RegExp(`^${escape(file)} is damaged or not a Tagsmith project`),
  },
  {
    name: 'another program’s SQLite database',
    damage: (file) => {
      rmSync(file)
      const db = new Database(file)
      db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES (\'keep me\')')
      db.close()
    },
    code: 'BAD_INPUT',
    message: (file) => new RegExp(`^${escape(file)} is an SQLite database but not a Tagsmith project$`),
  },
]

describe('a damaged project file given to project:open', () => {
  for (const c of DAMAGED) {
    it(`is refused naming the file and left byte for byte as it was: ${c.name}`, async () => {
      const file = damagedCopy(c.name.replace(/\W+/g, '-'), c.damage)
      const before = bytesOf(file)
      const projectBefore = tables(baseline)
      const error = errorOf(await service.handle('project:open', { file }), c.name)
      expectPlainMessage(error.message)
      expect(bytesOf(file)).toBe(before)
      expect(tables(baseline)).toBe(projectBefore)
      await expectServiceAlive(service, baseline)
      expect(error).toEqual({ code: c.code, message: expect.stringMatching(c.message(file)) })
    })
  }

  it('is refused unchanged when it is an empty (0-byte) file', async () => {
    const file = join(tempDir('project'), 'empty.tagsmith')
    writeFileSync(file, '')
    const error = errorOf(await service.handle('project:open', { file }), 'open an empty file')
    expect(error.code).toBe('BAD_INPUT')
    expect(error.message).toContain(file)
    await expectServiceAlive(service, baseline)
    expect(statSync(file).size).toBe(0)
  })

  it('is refused when it is a folder', async () => {
    const file = join(tempDir('project'), 'folder.tagsmith')
    mkdirSync(file)
    expect(errorOf(await service.handle('project:open', { file }), 'open a folder')).toEqual({ code: 'BAD_INPUT', message: `project file is not a file: ${file}` })
    expect(readdirSync(file)).toEqual([])
    await expectServiceAlive(service, baseline)
  })
})

describe('a read-only folder', () => {
  let mount: Mounted | null = null
  let project = ''

  beforeAll(() => {
    mount = mountTmpfs(join(tempDir('readonly'), 'mnt'), 4096)
    if (!mount) return
    project = join(mount.dir, 'project.tagsmith')
    copyFileSync(pristine, project)
    mount.readOnly()
  })
  afterAll(() => mount?.unmount())

  it('holding a project: project:open names the file and says it cannot be written', async (ctx) => {
    if (!mount) return ctx.skip(mountUnavailable)
    const before = bytesOf(project)
    const error = errorOf(await service.handle('project:open', { file: project }), 'open read-only')
    expectPlainMessage(error.message)
    expect(bytesOf(project)).toBe(before)
    await expectServiceAlive(service, baseline)
    expect(error).toEqual({ code: 'BAD_INPUT', message: expect.stringMatching(new RegExp(`${escape(project)}.*(read-only|cannot be written)`)) })
  })

  it('as the target of project:import: refused naming the project file, nothing written', async (ctx) => {
    if (!mount) return ctx.skip(mountUnavailable)
    const csv = join(tempDir('csv'), 'train.csv')
    writeFileSync(csv, 'image,cat\na.jpg,1\n')
    const before = tree(mount.dir)
    const error = errorOf(await service.handle('project:import', { csvs: [csv], projectFile: join(mount.dir, 'new.tagsmith') }), 'import read-only')
    expect(error.code).toBe('BAD_INPUT')
    expect(error.message).toContain(join(mount.dir, 'new.tagsmith'))
    expect(tree(mount.dir)).toEqual(before)
    await expectServiceAlive(service, baseline)
  })

  it('as the target of dataset:export: refused naming the file, nothing written', async (ctx) => {
    if (!mount) return ctx.skip(mountUnavailable)
    const before = tree(mount.dir)
    const error = errorOf(await service.handle('dataset:export', { outDir: mount.dir }), 'export read-only')
    expect(error).toEqual({ code: 'BAD_INPUT', message: `cannot write ${join(mount.dir, 'train.csv')} (EROFS)` })
    expect(tree(mount.dir)).toEqual(before)
    await expectServiceAlive(service, baseline)
  })
})

describe('a full disk', () => {
  /** A bulk edit flipping every cell: its edit log rows need new pages, wherever the file has room. */
  async function flipEveryCell(s: Service): Promise<{ changes: Array<{ imageId: number; label: string; value: 0 | 1 }>; rows: ImageRow[] }> {
    const info = resultOf<ProjectInfo | null>(await s.handle('project:current', {}), 'current')
    const rows = resultOf<ImageRow[]>(await s.handle('images:list', {}), 'images:list')
    const changes = rows.flatMap((row) =>
      (info?.labels ?? []).map((label, l) => ({ imageId: row.id, label, value: (row.labels[l] === 1 ? 0 : 1) as 0 | 1 })),
    )
    return { changes, rows }
  }

  async function editOnFullDisk(file: string, makeFull: (s: Service) => () => void): Promise<void> {
    const s = newService()
    try {
      resultOf(await s.handle('project:open', { file }), 'open')
      const { changes, rows } = await flipEveryCell(s)
      const release = makeFull(s)
      const error = errorOf(await s.handle('labels:set', { changes }), 'edit on a full disk')
      expectPlainMessage(error.message)
      expect(error.message).toMatch(/full/)
      // The edit is not stored, the service lives on, and once space is back the next edit works.
      resultOf(await s.handle('app:info', {}), 'app:info')
      release()
      expect(resultOf<ImageRow[]>(await s.handle('images:list', {}), 'list')).toEqual(rows)
      resultOf(await s.handle('labels:set', { changes }), 'edit after space came back')
      expect(error).toEqual({ code: 'BAD_INPUT', message: `disk full while writing ${file}; nothing was changed` })
    } finally {
      s.close()
    }
    const db = new Database(file, { readonly: true })
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(Number(db.prepare('SELECT count(*) FROM edit_groups').pluck().get())).toBe(1)
    db.close()
  }

  it('simulated by SQLite (max_page_count): an edit fails cleanly and is not stored', async () => {
    const file = join(tempDir('full'), 'full.tagsmith')
    copyFileSync(pristine, file)
    await editOnFullDisk(file, (s) => {
      const db = s.project?.db
      if (!db) throw new Error('no project open')
      // Checkpoint first, so the edit itself has to grow the file.
      db.pragma('wal_checkpoint(TRUNCATE)')
      const pages = Number(db.pragma('page_count', { simple: true }))
      db.pragma(`max_page_count = ${pages}`)
      return () => db.pragma('max_page_count = 4294967294')
    })
  })

  describe('of a real (tmpfs) file system', () => {
    let mount: Mounted | null = null
    beforeAll(() => {
      mount = mountTmpfs(join(tempDir('tmpfs'), 'mnt'), 1024)
    })
    afterAll(() => mount?.unmount())

    it('an edit fails cleanly and is not stored', async (ctx) => {
      const m = mount
      if (!m) return ctx.skip(mountUnavailable)
      const file = join(m.dir, 'edit.tagsmith')
      copyFileSync(pristine, file)
      await editOnFullDisk(file, () => {
        const filler = m.fill()
        return () => rmSync(filler)
      })
      rmSync(file)
      for (const suffix of ['-wal', '-shm']) rmSync(file + suffix, { force: true })
    })

    it('an import fails and leaves nothing behind', async (ctx) => {
      const m = mount
      if (!m) return ctx.skip(mountUnavailable)
      const csvDir = tempDir('csv')
      writeFileSync(join(csvDir, 'train.csv'), readFileSync(join(pristine, '..', 'train.csv')))
      const filler = m.fill()
      const before = tree(m.dir)
      const reply = await service.handle('project:import', { csvs: [join(csvDir, 'train.csv')], imagesDir: join(pristine, '..'), projectFile: join(m.dir, 'new.tagsmith') })
      const error = errorOf(reply, 'import onto a full disk')
      expectPlainMessage(error.message)
      expect(tree(m.dir)).toEqual(before)
      await expectServiceAlive(service, baseline)
      rmSync(filler)
      expect(error).toEqual({ code: 'BAD_INPUT', message: expect.stringContaining('new.tagsmith') })
    })

    it('an export fails naming the file, leaving no partial CSV', async (ctx) => {
      const m = mount
      if (!m) return ctx.skip(mountUnavailable)
      const out = join(m.dir, 'out')
      mkdirSync(out)
      const filler = m.fill()
      const before = tree(m.dir)
      const error = errorOf(await service.handle('dataset:export', { outDir: out }), 'export onto a full disk')
      expect(error).toEqual({ code: 'BAD_INPUT', message: `cannot write ${join(out, 'train.csv')} (ENOSPC)` })
      expect(tree(m.dir)).toEqual(before)
      await expectServiceAlive(service, baseline)
      rmSync(filler)
    })
  })
})
