import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Reply } from '../../../src-preload/contract.ts'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { Service } from '../../../src-main/core/service/index.ts'
import { isRequestName } from '../../../src-shared/names.ts'
import { tables } from '../bad-input/support/snapshot.ts'

const repoRoot = resolve(import.meta.dirname, '..', '..', '..')
const apparel = join(process.env.TAGSMITH_FIXTURES ?? resolve(repoRoot, '..', 'shared', 'fixtures'), 'apparel-mini')

// Inputs that pass the schemas and reach the handlers: each must be refused by the handler, quickly,
// with { code, message }, and must leave the open project and the running jobs as they were.
interface HostileCase {
  name: string
  request: string
  input: (paths: { fifo: string; dir: string }) => unknown
  code: string
  message: RegExp
}

const CASES: HostileCase[] = [
  { name: 'open a FIFO (reading would block forever)', request: 'project:open', input: (p) => ({ file: p.fifo }), code: 'BAD_INPUT', message: /^project file is not a file: / },
  { name: 'open /dev/zero', request: 'project:open', input: () => ({ file: '/dev/zero' }), code: 'BAD_INPUT', message: /^project file is not a file: \/dev\/zero$/ },
  { name: 'open a folder', request: 'project:open', input: (p) => ({ file: p.dir }), code: 'BAD_INPUT', message: /^project file is not a file: / },
  { name: 'import a FIFO as a CSV', request: 'project:import', input: (p) => ({ csvs: [p.fifo] }), code: 'BAD_INPUT', message: /^CSV file is not a file: / },
  { name: 'import /proc/self/environ as a CSV', request: 'project:import', input: () => ({ csvs: ['/proc/self/environ'] }), code: 'BAD_INPUT', message: /^\/?.*environ/ },
  { name: 'edit a label named __proto__', request: 'labels:set', input: () => ({ changes: [{ imageId: 1, label: '__proto__', value: 1 }] }), code: 'BAD_INPUT', message: /^unknown label "__proto__"$/ },
  { name: 'edit a label named constructor', request: 'labels:set', input: () => ({ changes: [{ imageId: 1, label: 'constructor', value: 1 }] }), code: 'BAD_INPUT', message: /^unknown label "constructor"$/ },
  { name: 'edit the largest safe image id', request: 'labels:set', input: () => ({ changes: [{ imageId: Number.MAX_SAFE_INTEGER, label: 'red', value: 1 }] }), code: 'BAD_INPUT', message: /^no image with id 9007199254740991$/ },
  {
    name: 'edit 100,000 cells, the last one of an unknown image',
    request: 'labels:set',
    input: () => ({ changes: [...Array.from({ length: 99_999 }, () => ({ imageId: 1, label: 'red', value: 1 })), { imageId: 424242, label: 'red', value: 0 }] }),
    code: 'BAD_INPUT',
    message: /^no image with id 424242$/,
  },
  { name: 'group labels named __proto__ and constructor', request: 'groups:set', input: () => ({ groups: [['__proto__', 'constructor']] }), code: 'BAD_INPUT', message: /^group 1: unknown label "__proto__"$/ },
  { name: 'move an unknown image to val', request: 'split:set', input: () => ({ imageIds: [1, 99_999_999], split: 'val' }), code: 'BAD_INPUT', message: /^no image with id 99999999$/ },
  { name: 'cancel a job named __proto__', request: 'job:cancel', input: () => ({ jobId: '__proto__' }), code: 'NOT_FOUND', message: /__proto__/ },
  { name: 'cancel a job named constructor', request: 'job:cancel', input: () => ({ jobId: 'constructor' }), code: 'NOT_FOUND', message: /constructor/ },
  { name: 'train on a system folder as the backbone', request: 'train:start', input: () => ({ backbone: '/etc' }), code: 'BAD_INPUT', message: /\/etc/ },
  { name: 'train on a backbone path climbing out', request: 'train:start', input: () => ({ backbone: '../../../../../../etc/passwd' }), code: 'BAD_INPUT', message: /etc\/passwd/ },
  { name: 'read a run that does not exist', request: 'train:run', input: () => ({ id: 2 ** 31 }), code: 'NOT_FOUND', message: /2147483648/ },
  { name: 'delete a run that does not exist', request: 'train:delete', input: () => ({ id: 2 ** 31 }), code: 'NOT_FOUND', message: /2147483648/ },
  { name: 'a native dialog in web mode', request: 'dialog:chooseFolder', input: () => ({ title: '\u202eevil' }), code: 'UNAVAILABLE', message: /type the path/ },
  { name: 'show a file in its folder in web mode', request: 'image:reveal', input: () => ({ id: 1 }), code: 'UNAVAILABLE', message: /desktop app/ },
]

describe('well-formed but hostile requests', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagsmith-hostile-'))
  const fifo = join(dir, 'pipe.tagsmith')
  let service: Service
  let projectFile = ''

  beforeAll(async () => {
    const lines = readFileSync(join(apparel, 'train.csv'), 'utf8').split('\n')
    writeFileSync(join(dir, 'train.csv'), `${lines.slice(0, 5).join('\n')}\n`)
    symlinkSync(join(apparel, 'clothes_dataset'), join(dir, 'clothes_dataset'), 'dir')
    projectFile = join(dir, 'hostile.tagsmith')
    const { project } = await Project.importCsvs({ csvs: [join(dir, 'train.csv')], projectFile })
    project.close()
    execFileSync('mkfifo', [fifo])
    mkdirSync(join(dir, 'config'))
    service = new Service({ configDir: join(dir, 'config'), mode: 'web', version: '0.0.0-hostile' })
    await service.request('project:open', { file: projectFile })
  })
  afterAll(() => {
    service.close()
    rmSync(dir, { recursive: true, force: true })
  })

  for (const c of CASES) {
    it.skipIf(!isRequestName(c.request))(`are refused: ${c.name}`, async () => {
      const before = tables(projectFile)
      const reply: Reply = await service.handle(c.request, c.input({ fifo, dir: join(dir, 'clothes_dataset') }), 'hostile')
      expect(reply).toEqual({ ok: false, error: { code: c.code, message: expect.stringMatching(c.message) } })
      expect(tables(projectFile)).toBe(before)
      expect(service.jobs.runningCount).toBe(0)
      expect((await service.request('project:current', {}))?.file).toBe(projectFile)
      expect(Object.prototype).not.toHaveProperty('polluted')
    })
  }
})
