import { readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Progress } from '../../../src-main/core/images/pool.ts'
import { generateThumbnails, thumbnailPath, type ThumbnailItem } from '../../../src-main/core/images/thumbnails.ts'
import { fixtureJpegs, sha256, tempDir, writeSamples, type Samples } from './sample-images.ts'

let dir: string
let remove: () => Promise<void>
let s: Samples
beforeAll(async () => {
  ;({ dir, remove } = await tempDir('thumb-batch'))
  s = await writeSamples(dir)
})
afterAll(() => remove())

it('records each bad image as a failure with a reason and still makes every good thumbnail', async () => {
  const good = await fixtureJpegs(12)
  const bad = [s.empty, s.truncated, s.text, s.missing, s.bomb]
  let id = 0
  const items: ThumbnailItem[] = []
  for (const file of [...good.slice(0, 6), ...bad, ...good.slice(6)]) {
    // Unreadable files have no content hash; any distinct key will do for the test.
    const hash = file === s.missing ? 'deadbeef'.repeat(8) : await sha256(file)
    items.push({ id: ++id, path: file, hash })
  }
  const cache = path.join(dir, 'cache')
  const progress: Progress[] = []
  const result = await generateThumbnails(items, { cacheDir: cache, onProgress: (p) => progress.push(p) })

  expect(result.done).toBe(items.length)
  expect(result.generated).toBe(good.length)
  expect(result.cached).toBe(0)
  const byPath = new Map(result.failed.map((f) => [f.path, f]))
  expect(byPath.get(s.empty)).toMatchObject({ status: 'corrupt', reason: 'empty file (0 bytes)' })
  expect(byPath.get(s.truncated)).toMatchObject({ status: 'corrupt', reason: expect.stringMatching(/^truncated/) })
  expect(byPath.get(s.text)?.reason).toMatch(/not a recognised image format .*starts with text "image,black,blue/)
  expect(byPath.get(s.missing)).toMatchObject({ status: 'missing', reason: 'file not found' })
  expect(byPath.get(s.bomb)?.reason).toMatch(/30000×30000/)
  expect(result.failed.map((f) => f.id).sort((a, b) => a - b)).toEqual([7, 8, 9, 10, 11])

  for (const item of items.filter((i) => !bad.includes(i.path))) {
    await expect(readdir(path.dirname(thumbnailPath(cache, item.hash)))).resolves.toContain(
      path.basename(thumbnailPath(cache, item.hash)),
    )
  }

  // Progress: first and last reported, done never goes back, the last one says finished.
  expect(progress.length).toBeGreaterThanOrEqual(2)
  for (let i = 1; i < progress.length; i++) {
    expect(progress[i]?.done).toBeGreaterThanOrEqual(progress[i - 1]?.done ?? 0)
  }
  expect(progress.at(-1)).toMatchObject({ done: items.length, total: items.length, etaSeconds: 0 })
  expect(progress.at(-1)?.rate).toBeGreaterThan(0)
})

it('gives each image its own reason when many fail at the same time', async () => {
  const [photo = ''] = await fixtureJpegs(1)
  const whole = await readFile(photo)
  const items: ThumbnailItem[] = []
  for (let i = 0; i < 24; i++) {
    const file = path.join(dir, `many-${i}.jpg`)
    if (i % 3 === 0) await writeFile(file, whole.subarray(0, Math.round(whole.length * (0.3 + i / 60))))
    if (i % 3 === 1) await writeFile(file, `plain text ${i}`)
    if (i % 3 === 2) await writeFile(file, Buffer.alloc(0))
    items.push({ id: i, path: file, hash: (i + 1).toString(16).padStart(16, '0') })
  }
  const result = await generateThumbnails(items, { cacheDir: path.join(dir, 'cache-many'), concurrency: 4 })
  expect(result.failed).toHaveLength(24)
  for (const f of result.failed) {
    const expected = [/^truncated image data/, /^not a recognised image format \(\d+ bytes, starts with text "plain text/, /^empty file/]
    expect(f.reason).toMatch(expected[f.id % 3] ?? /never/)
  }
})

it('counts thumbnails already in the cache as cached on the next run', async () => {
  const files = await fixtureJpegs(5)
  const items = await Promise.all(files.map(async (f, i) => ({ id: i, path: f, hash: await sha256(f) })))
  const cache = path.join(dir, 'cache-rerun')
  await generateThumbnails(items.slice(0, 3), { cacheDir: cache })
  const again = await generateThumbnails(items, { cacheDir: cache, concurrency: 1 })
  expect(again).toEqual({ done: 5, generated: 2, cached: 3, failed: [] })
})

it('rejects the batch when the cache folder cannot be written, naming the folder', async () => {
  const [file = ''] = await fixtureJpegs(1)
  // A regular file where the cache folder should be.
  await expect(
    generateThumbnails([{ id: 1, path: file, hash: await sha256(file) }], { cacheDir: path.join(s.text, 'cache') }),
  ).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/cannot write the thumbnail cache in .*notes\.jpg/) })
})
