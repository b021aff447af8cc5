import { copyFile, readdir, readFile, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { TagsmithError } from '../../../src-main/core/errors.ts'
import { thumbnailFor, thumbnailPath } from '../../../src-main/core/images/thumbnails.ts'
import { fixtureJpegs, sha256, tempDir } from './sample-images.ts'

let dir: string
let remove: () => Promise<void>
beforeEach(async () => {
  ;({ dir, remove } = await tempDir('thumb-cache'))
})
afterEach(() => remove())

async function listTree(root: string): Promise<string[]> {
  return (await readdir(root, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort()
}

it('stores the thumbnail under <cache>/<2 hex>/<hash>-<size>.webp and leaves no temp file', async () => {
  const [src = ''] = await fixtureJpegs(1)
  const hash = await sha256(src)
  const cache = path.join(dir, 'cache')
  const out = await thumbnailFor(src, hash, cache)
  expect(out).toBe(path.join(cache, hash.slice(0, 2), `${hash}-256.webp`))
  expect(out).toBe(thumbnailPath(cache, hash, 256))
  // Beside it, the tints file (one line per thumbnail, appended whole).
  expect(await listTree(cache)).toEqual([`${hash.slice(0, 2)}/${hash}-256.webp`, 'tints-256.txt'])
})

it('serves a cache hit without decoding the image again', async () => {
  const [fixture = ''] = await fixtureJpegs(1)
  const src = path.join(dir, 'photo.jpg')
  await copyFile(fixture, src)
  const hash = await sha256(src)
  const cache = path.join(dir, 'cache')
  const first = await thumbnailFor(src, hash, cache)
  const before = await stat(first)
  const bytes = await readFile(first)

  // With the source gone, only a cache hit can answer.
  await rm(src)
  const second = await thumbnailFor(src, hash, cache)
  expect(second).toBe(first)
  const after = await stat(second)
  expect(after.mtimeMs).toBe(before.mtimeMs)
  expect(after.ino).toBe(before.ino)
  expect(await readFile(second)).toEqual(bytes)

  // Another size is another entry, made from the image.
  await expect(thumbnailFor(src, hash, cache, 128)).rejects.toThrow(/file not found/)
})

it('answers concurrent requests for one thumbnail with the same complete file', async () => {
  const [src = ''] = await fixtureJpegs(1)
  const hash = await sha256(src)
  const cache = path.join(dir, 'cache')
  const results = await Promise.all(Array.from({ length: 8 }, () => thumbnailFor(src, hash, cache)))
  expect(new Set(results).size).toBe(1)
  expect(await listTree(cache)).toHaveLength(2)
  expect((await readFile(path.join(cache, 'tints-256.txt'), 'utf8')).split('\n')).toHaveLength(2)
  expect((await stat(results[0] ?? '')).size).toBeGreaterThan(100)
})

it('refuses a key that is not a hex hash, so it cannot point outside the cache', async () => {
  const [src = ''] = await fixtureJpegs(1)
  for (const bad of ['../../etc/passwd', '', 'abc', 'zzzzzzzzzzzz']) {
    await expect(thumbnailFor(src, bad, dir)).rejects.toSatisfy(
      (e: unknown) => e instanceof TagsmithError && e.code === 'BAD_INPUT' && /hex content hash/.test(e.message),
    )
  }
  await expect(thumbnailFor(src, 'ab'.repeat(32), dir, 7)).rejects.toThrow(/size must be an integer from 16/)
})
