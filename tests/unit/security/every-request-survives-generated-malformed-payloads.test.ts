import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Reply, ServerMessage } from '../../../src-preload/contract.ts'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { requestSchemas } from '../../../src-main/core/schemas.ts'
import { Service } from '../../../src-main/core/service/index.ts'
import { REQUEST_NAMES } from '../../../src-shared/names.ts'
import { Session } from '../../../src-main/core/service/session.ts'
import { seeded } from '../../integration/fault/support/trials.ts'
import { tables } from '../bad-input/support/snapshot.ts'
import { asJson, generatePayload } from './support/payloads.ts'

const PER_REQUEST = Number(process.env.TAGSMITH_FUZZ_PER_REQUEST) || 60
const SEED = Number(process.env.TAGSMITH_FUZZ_SEED) || 20_261_129
const CODES = new Set(['BAD_INPUT', 'NOT_FOUND', 'TOO_NEW', 'CONFLICT', 'CANCELLED', 'UNAVAILABLE', 'INTERNAL'])
const repoRoot = resolve(import.meta.dirname, '..', '..', '..')
const apparel = join(process.env.TAGSMITH_FIXTURES ?? resolve(repoRoot, '..', 'shared', 'fixtures'), 'apparel-mini')

/** The fields of a request's input object, read from its schema (none for requests without input). */
function fieldsOf(name: (typeof REQUEST_NAMES)[number]): string[] {
  const schema: unknown = requestSchemas[name]
  const shape = typeof schema === 'object' && schema !== null && 'shape' in schema ? (schema as { shape: unknown }).shape : null
  return shape && typeof shape === 'object' ? Object.keys(shape) : []
}

/** A refusal as the boundary must give it: { code, message } only, a known code, one plain line. */
function expectCleanRefusal(reply: Reply | ServerMessage, where: string): void {
  expect('ok' in reply && reply.ok, `${where} was accepted`).toBe(false)
  if (!('ok' in reply) || reply.ok) return
  expect(Object.keys(reply.error).sort(), where).toEqual(['code', 'message'])
  expect(CODES.has(reply.error.code), `${where}: code ${reply.error.code}`).toBe(true)
  expect(typeof reply.error.message, where).toBe('string')
  expect(reply.error.message, where).not.toMatch(/\n\s+at |\.ts:\d+:\d+|\.js:\d+:\d+|node:internal/)
  expect(reply.error.message.length, `${where}: a ${reply.error.message.length}-character message`).toBeLessThan(2000)
}

describe('every request, fuzzed with generated malformed payloads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagsmith-fuzz-'))
  let service: Service
  let projectFile = ''
  let sent = 0

  beforeAll(async () => {
    const lines = readFileSync(join(apparel, 'train.csv'), 'utf8').split('\n')
    writeFileSync(join(dir, 'train.csv'), `${lines.slice(0, 7).join('\n')}\n`)
    symlinkSync(join(apparel, 'clothes_dataset'), join(dir, 'clothes_dataset'), 'dir')
    projectFile = join(dir, 'fuzz.tagsmith')
    const { project } = await Project.importCsvs({ csvs: [join(dir, 'train.csv')], projectFile })
    project.close()
    mkdirSync(join(dir, 'config'))
    service = new Service({ configDir: join(dir, 'config'), mode: 'web', version: '0.0.0-fuzz' })
  })
  afterAll(() => {
    service.close()
    rmSync(dir, { recursive: true, force: true })
    console.log(`fuzz: ${sent} malformed payloads over ${REQUEST_NAMES.length} requests, seed ${SEED}`)
  })

  for (const withProject of [false, true]) {
    for (const name of REQUEST_NAMES) {
      it(`${name} (${withProject ? 'a project open' : 'no project'}): refused cleanly, never a crash, nothing stored changed`, async () => {
        if (withProject) await service.request('project:open', { file: projectFile })
        else await service.request('project:close', {})
        const before = withProject ? tables(projectFile) : ''
        const next = seeded(SEED + REQUEST_NAMES.indexOf(name) + (withProject ? 1000 : 0))
        const schema = requestSchemas[name]
        const replies: ServerMessage[] = []
        const session = new Session(service, (m) => replies.push(m), 'fuzz')
        for (let i = 0; i < PER_REQUEST; i++) {
          const payload = generatePayload(next, fieldsOf(name))
          // Only what the boundary must refuse: a payload that happens to be valid could really act.
          if (schema.safeParse(payload).success) continue
          sent++
          const where = `${name} #${i} (seed ${SEED})`
          // As Electron's IPC hands it over (structured-clone values), and as JSON over the WebSocket.
          expectCleanRefusal(await service.handle(name, payload, 'fuzz'), `${where} over IPC`)
          const json = asJson(payload)
          if (schema.safeParse(JSON.parse(json)).success) continue
          await session.receive(asJson({ type: 'invoke', id: i, name, input: JSON.parse(json) as unknown }))
          const reply = replies.pop()
          expect(reply && 'id' in reply && reply.id, where).toBe(i)
          if (reply) expectCleanRefusal(reply, `${where} over the WebSocket`)
        }
        session.close()
        // Alive, on the same project, with nothing changed and nothing polluted.
        await expect(service.request('app:info', {})).resolves.toMatchObject({ mode: 'web' })
        const current = await service.request('project:current', {})
        expect(current?.file ?? null).toBe(withProject ? projectFile : null)
        if (withProject) expect(tables(projectFile)).toBe(before)
        expect(Object.prototype).not.toHaveProperty('polluted')
        expect(service.jobs.runningCount).toBe(0)
      })
    }
  }
})
