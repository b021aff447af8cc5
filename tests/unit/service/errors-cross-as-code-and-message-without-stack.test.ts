import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { WireError } from '../../../src-preload/contract.ts'
import { FakeClient } from './fake-transport.ts'
import { apparelProject, newService, tempDir } from './helpers.ts'

async function failure(promise: Promise<unknown>): Promise<WireError> {
  return promise.then(
    () => expect.unreachable('the request should have failed'),
    (err: unknown) => err as WireError,
  )
}

/** Only { code, message }, and nothing in the message that looks like a stack trace. */
function expectPlainError(error: WireError, code: string, pattern: RegExp): void {
  expect(Object.keys(error).sort()).toEqual(['code', 'message'])
  expect(error.code).toBe(code)
  expect(error.message).toMatch(pattern)
  expect(error.message).not.toMatch(/\n\s+at |\.ts:\d+:\d+/)
}

describe('errors cross the boundary as { code, message } and never as a stack trace', () => {
  it('reports a project file that does not exist as NOT_FOUND naming the file', async () => {
    const client = new FakeClient(newService(), 'c')
    const file = join(tempDir(), 'nowhere.tagsmith')
    expectPlainError(await failure(client.invoke('project:open', { file })), 'NOT_FOUND', /nowhere\.tagsmith/)
  })

  it('reports a file that is not a project as BAD_INPUT', async () => {
    const client = new FakeClient(newService(), 'c')
    const file = join(tempDir(), 'notes.tagsmith')
    writeFileSync(file, 'these are not the bytes of an SQLite database, just text padded out '.repeat(20))
    expectPlainError(await failure(client.invoke('project:open', { file })), 'BAD_INPUT', /not a Tagsmith project|notes\.tagsmith/)
  })

  it('reports edits without an open project as CONFLICT', async () => {
    const client = new FakeClient(newService(), 'c')
    const error = await failure(client.invoke('labels:set', { changes: [{ imageId: 1, label: 'red', value: 1 }] }))
    expectPlainError(error, 'CONFLICT', /no project is open/)
  })

  it('reports unknown labels and image ids of an open project as BAD_INPUT', async () => {
    const client = new FakeClient(newService(), 'c')
    await client.invoke('project:open', { file: await apparelProject(4) })
    const badLabel = await failure(client.invoke('labels:set', { changes: [{ imageId: 1, label: 'purple', value: 1 }] }))
    expectPlainError(badLabel, 'BAD_INPUT', /unknown label "purple"/)
    const badId = await failure(client.invoke('labels:set', { changes: [{ imageId: 999, label: 'red', value: 1 }] }))
    expectPlainError(badId, 'BAD_INPUT', /no image with id 999/)
    const badGroup = await failure(client.invoke('groups:set', { groups: [['red', 'blue'], ['blue', 'dress']] }))
    expectPlainError(badGroup, 'BAD_INPUT', /"blue" is in groups 1 and 2/)
  })

  it('answers native dialogs in web mode with UNAVAILABLE', async () => {
    const client = new FakeClient(newService(), 'c')
    for (const name of ['dialog:openCsv', 'dialog:openProject'] as const) {
      expectPlainError(await failure(client.invoke(name, {})), 'UNAVAILABLE', /type the path/)
    }
  })

  it('turns an unexpected exception inside a handler into INTERNAL with its message only', async () => {
    const broken = (): never => {
      throw new TypeError('dialog backend exploded')
    }
    const service = newService({ mode: 'electron', dialogs: { openCsv: broken, openProject: broken, chooseFolder: broken } })
    const client = new FakeClient(service, 'c')
    expectPlainError(await failure(client.invoke('dialog:chooseFolder', {})), 'INTERNAL', /^dialog backend exploded$/)
  })

  it('reports cancelling an unknown job as NOT_FOUND', async () => {
    const client = new FakeClient(newService(), 'c')
    expectPlainError(await failure(client.invoke('job:cancel', { jobId: 'import-99' })), 'NOT_FOUND', /import-99/)
  })
})
