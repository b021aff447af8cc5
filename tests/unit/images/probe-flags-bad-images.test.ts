import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { probeImage } from '../../../src-main/core/images/probe.ts'
import { fixtureJpegs, tempDir, writeSamples, type Samples } from './sample-images.ts'

let dir: string
let remove: () => Promise<void>
let s: Samples
beforeAll(async () => {
  ;({ dir, remove } = await tempDir('probe'))
  s = await writeSamples(dir)
})
afterAll(() => remove())

it('reports each broken file with its own reason instead of throwing', async () => {
  expect(await probeImage(s.empty)).toEqual({ ok: false, status: 'corrupt', reason: 'empty file (0 bytes)' })
  expect(await probeImage(s.missing)).toEqual({ ok: false, status: 'missing', reason: 'file not found' })
  expect(await probeImage(dir)).toEqual({ ok: false, status: 'missing', reason: 'not a regular file' })
  expect(await probeImage(s.text)).toEqual({
    ok: false,
    status: 'corrupt',
    reason: 'not a recognised image format (38 bytes, starts with text "image,black,blue")',
  })
  expect(await probeImage(s.truncated)).toEqual({
    ok: false,
    status: 'corrupt',
    reason: 'truncated image data (the JPEG file ends before its end-of-image marker)',
  })
})

it('names the format of a file cut inside its header', async () => {
  const bytes = await readFile(s.orient6)
  expect(await probeImage(bytes.subarray(0, 60))).toEqual({
    ok: false,
    status: 'corrupt',
    reason: 'damaged JPEG file: its header cannot be read (60 bytes)',
  })
})

it('catches truncation only by decoding: the header of a cut JPEG still reads fine', async () => {
  expect(await probeImage(s.truncated, { deep: false })).toMatchObject({ ok: true, format: 'jpeg' })
  expect(await probeImage(s.truncated)).toMatchObject({ ok: false })
})

it('gives size as displayed, after EXIF orientation, and the format', async () => {
  expect(await probeImage(s.orient6)).toEqual({ ok: true, width: 200, height: 100, format: 'jpeg' })
  expect(await probeImage(s.cmyk)).toEqual({ ok: true, width: 40, height: 30, format: 'jpeg' })
  expect(await probeImage(s.rgb16)).toEqual({ ok: true, width: 40, height: 30, format: 'png' })
  expect(await probeImage(s.gif)).toEqual({ ok: true, width: 20, height: 10, format: 'gif' })
})

it('accepts in-memory bytes as well as paths', async () => {
  const [jpeg = ''] = await fixtureJpegs(1)
  expect(await probeImage(await readFile(jpeg))).toMatchObject({ ok: true, format: 'jpeg' })
  expect(await probeImage(Buffer.alloc(0))).toEqual({ ok: false, status: 'corrupt', reason: 'empty file (0 bytes)' })
})

it('passes every image of the real fixture', async () => {
  const files = await fixtureJpegs(200)
  const results = await Promise.all(files.map((f) => probeImage(f)))
  expect(results.filter((r) => !r.ok)).toEqual([])
})
