import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { generateThumbnails, type ThumbnailItem } from '../../../src-main/core/images/thumbnails.ts'
import { fixtureJpegs, sha256, tempDir } from './sample-images.ts'

let dir: string
let remove: () => Promise<void>
let items: ThumbnailItem[]
beforeAll(async () => {
  ;({ dir, remove } = await tempDir('thumb-cancel'))
  const files = await fixtureJpegs(120)
  items = await Promise.all(files.map(async (f, i) => ({ id: i, path: f, hash: await sha256(f) })))
})
afterAll(() => remove())

async function filesIn(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => [])
  // The tints file beside the thumbnails is appended line by line, never half-written.
  return entries.filter((e) => e.isFile() && !e.name.startsWith('tints-')).map((e) => e.name)
}

it('stops starting images on abort and rejects with CANCELLED once the ones in flight are written', async () => {
  const cache = path.join(dir, 'cache')
  const controller = new AbortController()
  let doneAtAbort = -1
  const run = generateThumbnails(items, {
    cacheDir: cache,
    concurrency: 2,
    signal: controller.signal,
    onProgress: (p) => {
      if (doneAtAbort < 0) {
        doneAtAbort = p.done
        controller.abort()
      }
    },
  })
  await expect(run).rejects.toMatchObject({ code: 'CANCELLED', message: expect.stringMatching(/cancelled after \d+ of 120/) })
  const written = await filesIn(cache)
  // The image that reported plus at most the one other in flight.
  expect(doneAtAbort).toBe(1)
  expect(written.length).toBeGreaterThanOrEqual(1)
  expect(written.length).toBeLessThanOrEqual(2)
  expect(written.every((name) => name.endsWith('.webp'))).toBe(true)

  // Nothing lands after the promise settled: a later no-op batch sees the same files.
  await generateThumbnails([], { cacheDir: cache })
  expect(await filesIn(cache)).toEqual(written)
})

it('does nothing when the signal is already aborted', async () => {
  const cache = path.join(dir, 'cache-pre')
  await expect(generateThumbnails(items, { cacheDir: cache, signal: AbortSignal.abort() })).rejects.toMatchObject({
    code: 'CANCELLED',
  })
  expect(await filesIn(cache)).toEqual([])
})

it('resumes after a cancel: the next run counts what was written as cached', async () => {
  const cache = path.join(dir, 'cache-resume')
  const controller = new AbortController()
  await generateThumbnails(items.slice(0, 20), {
    cacheDir: cache,
    concurrency: 1,
    signal: controller.signal,
    onProgress: (p) => {
      if (p.done === 5) controller.abort()
    },
    progressIntervalMs: 0,
  }).catch(() => undefined)
  const rerun = await generateThumbnails(items.slice(0, 20), { cacheDir: cache })
  expect(rerun).toMatchObject({ done: 20, cached: 5, generated: 15 })
})
