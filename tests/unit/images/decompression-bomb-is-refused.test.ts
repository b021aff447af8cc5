import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { TagsmithError } from '../../../src-main/core/errors.ts'
import { decodeRgb } from '../../../src-main/core/images/decode.ts'
import { ImageError } from '../../../src-main/core/images/failure.ts'
import { probeImage } from '../../../src-main/core/images/probe.ts'
import { thumbnailFor } from '../../../src-main/core/images/thumbnails.ts'
import { sha256, tempDir, writeSamples, type Samples } from './sample-images.ts'

let dir: string
let remove: () => Promise<void>
let s: Samples
beforeAll(async () => {
  ;({ dir, remove } = await tempDir('bomb'))
  s = await writeSamples(dir)
})
afterAll(() => remove())

const BOMB_MESSAGE = /image is 30000×30000 \(900 MP\), above the limit of 100 MP; refused as a possible decompression bomb/

it('the sample really is a small file that claims 900 megapixels', async () => {
  expect((await stat(s.bomb)).size).toBeLessThan(3_000_000)
  const meta = await sharp(s.bomb, { limitInputPixels: false }).metadata()
  expect([meta.width, meta.height, meta.channels]).toEqual([30000, 30000, 3])
})

it('is refused by probe, thumbnail and decode with the size and the limit in the message', async () => {
  expect(await probeImage(s.bomb)).toMatchObject({ ok: false, status: 'corrupt', reason: expect.stringMatching(BOMB_MESSAGE) })

  const cache = path.join(dir, 'cache')
  const thumb = thumbnailFor(s.bomb, await sha256(s.bomb), cache)
  await expect(thumb).rejects.toBeInstanceOf(ImageError)
  await expect(thumb).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(BOMB_MESSAGE) })
  await expect(thumb).rejects.toThrow(s.bomb)
  await expect(readdir(cache)).rejects.toMatchObject({ code: 'ENOENT' })

  await expect(decodeRgb(s.bomb)).rejects.toSatisfy(
    (e: unknown) => e instanceof TagsmithError && e.code === 'BAD_INPUT' && BOMB_MESSAGE.test(e.message),
  )
})

it('follows a configured limit: lower refuses an ordinary image, higher admits it', async () => {
  // wide.png is 300×100 = 30,000 pixels.
  expect(await probeImage(s.wide, { limits: { maxPixels: 29_999 } })).toMatchObject({
    ok: false,
    reason: expect.stringMatching(/image is 300×100 \(0\.0 MP\), above the limit of 0\.0 MP/),
  })
  expect(await probeImage(s.wide, { limits: { maxPixels: 30_000 } })).toMatchObject({ ok: true, width: 300, height: 100 })
  await expect(decodeRgb(s.wide, { size: 8, limits: { maxPixels: 1000 } })).rejects.toThrow(/decompression bomb/)
})
