import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Service } from '../../../src-main/core/service/index.ts'
import { FakeClient } from '../service/fake-transport.ts'
import { addRun, handMadeProject, type HandMade } from './hand-made-project.ts'

// The run knows only b and a, in that order; the project has a, b, c.
const ROWS = [
  { path: 'img/1.jpg', cells: ['1', '1', '0'], probs: [0.9, 0.05] }, // [b, a]: a stored 1 at 0.05, b agrees
  { path: 'img/2.jpg', cells: ['', '1', '0'], probs: [0.9, 0.9] }, // a empty
  { path: 'img/3.jpg', cells: ['0', '1', '1'] }, // no probabilities
]

let made: HandMade
let service: Service
let client: FakeClient
let runId: number

beforeAll(async () => {
  made = await handMadeProject(['a', 'b', 'c'], ROWS)
  const configDir = join(made.dir, 'config')
  mkdirSync(configDir)
  service = new Service({ configDir, mode: 'web', version: '0.0.0-test' })
  client = new FakeClient(service, 'ui')
})

afterAll(() => {
  client?.close()
  service?.close()
  made?.remove()
})

const id = (path: string): number => made.ids.get(path) ?? -1
const reviews = (): number => {
  const db = new Database(made.file, { readonly: true })
  try {
    return db.prepare('SELECT count(*) FROM label_reviews').pluck().get() as number
  } finally {
    db.close()
  }
}

describe('quality requests refuse bad input', () => {
  it('needs an open project, then a trained run', async () => {
    await expect(client.invoke('quality:suspects', {})).rejects.toMatchObject({ code: 'CONFLICT', message: 'no project is open' })
    await client.invoke('project:open', { file: made.file })
    await expect(client.invoke('quality:uncertain', {})).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/train first/) })
    runId = addRun(made, ['b', 'a'], { 'img/1.jpg': ROWS[0]?.probs ?? [], 'img/2.jpg': ROWS[1]?.probs ?? [] })
  })

  it('scores each label of a run with another label order against its own column', async () => {
    const queue = await client.invoke('quality:suspects', {})
    expect(queue.suspects).toEqual([{ imageId: id('img/1.jpg'), image: 'img/1.jpg', label: 'a', stored: 1, probability: expect.closeTo(0.05, 6), score: expect.any(Number) }])
  })

  it('names the unknown label, the label the run lacks, the unknown image and the image without probabilities', async () => {
    const review = (imageId: number, label: string): Promise<unknown> => client.invoke('quality:review', { runId, imageId, label, action: 'accept' })
    await expect(review(id('img/1.jpg'), 'purple')).rejects.toMatchObject({ code: 'BAD_INPUT', message: 'unknown label "purple"' })
    await expect(review(id('img/1.jpg'), 'c')).rejects.toMatchObject({ code: 'BAD_INPUT', message: `run ${runId} has no label "c"` })
    await expect(review(9999, 'a')).rejects.toMatchObject({ code: 'BAD_INPUT', message: 'no image with id 9999' })
    await expect(review(id('img/3.jpg'), 'a')).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: `run ${runId} has no probabilities for image ${id('img/3.jpg')} (img/3.jpg)`,
    })
    await expect(review(id('img/2.jpg'), 'a')).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/img\/2\.jpg.*"a": the cell is empty/) })
    await expect(review(id('img/2.jpg'), 'b')).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/stored 1 already agrees/) })
    await expect(client.invoke('quality:review', { runId: 99, imageId: id('img/1.jpg'), label: 'a', action: 'keep' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'no run 99 in this project',
    })
    await expect(client.invoke('quality:confirm', { runId, imageId: 4242 })).rejects.toMatchObject({ code: 'BAD_INPUT', message: 'no image with id 4242' })
    expect(reviews()).toBe(0)
  })

  it('refuses malformed requests at the boundary', async () => {
    await expect(client.invokeRaw('quality:review', { runId, imageId: id('img/1.jpg'), label: 'a', action: 'maybe' })).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/action/) })
    await expect(client.invokeRaw('quality:suspects', { limit: 0 })).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/limit/) })
    await expect(client.invokeRaw('quality:confirm', { runId: -1, imageId: 1 })).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/runId/) })
    expect(reviews()).toBe(0)
  })
})
