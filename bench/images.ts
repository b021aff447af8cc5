// Image figures: thumbnails per second (cold cache, then all hits), model-input decodes per
// second and deep probes per second, over every JPEG of the apparel fixture.
// Run alone: npx tsx bench/images.ts
import { createHash } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import sharp from 'sharp'
import { decodeForModel } from '../src-main/core/images/decode.ts'
import { defaultImageConcurrency } from '../src-main/core/images/open.ts'
import { runPool } from '../src-main/core/images/pool.ts'
import { probeImage } from '../src-main/core/images/probe.ts'
import { generateThumbnails, thumbnailPath, type ThumbnailItem } from '../src-main/core/images/thumbnails.ts'

function fixturesDir(): string {
  return process.env.TAGSMITH_FIXTURES ?? path.resolve(import.meta.dirname, '../..', 'shared/fixtures')
}

async function fixtureImages(): Promise<string[]> {
  const root = path.join(fixturesDir(), 'apparel-mini', 'clothes_dataset')
  const entries = await readdir(root, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile() && /\.(jpe?g|png|webp)$/i.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort()
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now()
  await work()
  return (performance.now() - start) / 1000
}

const round = (x: number): number => Math.round(x * 10) / 10

export async function bench(): Promise<Record<string, unknown>> {
  const files = await fixtureImages()
  if (files.length === 0) throw new Error(`no images under ${fixturesDir()}`)
  // Hashing is the importer's cost, not ours: done before the clock starts. Reading every file
  // once also puts them all in the OS page cache, so no figure pays for the first disk read.
  const items: ThumbnailItem[] = await Promise.all(
    files.map(async (file, id) => ({ id, path: file, hash: createHash('sha256').update(await readFile(file)).digest('hex') })),
  )
  const concurrency = defaultImageConcurrency()
  const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'tagsmith-bench-thumbs-'))
  try {
    const cold = await timed(() => generateThumbnails(items, { cacheDir }))
    const warm = await timed(() => generateThumbnails(items, { cacheDir }))
    let thumbBytes = 0
    for (const item of items) thumbBytes += (await stat(thumbnailPath(cacheDir, item.hash))).size

    const decode = await timed(() =>
      runPool(files.length, async (i) => void (await decodeForModel(files[i] ?? '', { size: 224 })), { concurrency }),
    )
    const probe = await timed(() =>
      runPool(
        files.length,
        async (i) => {
          const result = await probeImage(files[i] ?? '')
          if (!result.ok) throw new Error(`${files[i]}: ${result.reason}`)
        },
        { concurrency },
      ),
    )
    return {
      images: files.length,
      concurrency,
      cores: os.availableParallelism(),
      thumbnailSize: 256,
      thumbnailsPerSecCold: round(files.length / cold),
      thumbnailsPerSecCached: round(files.length / warm),
      thumbnailMeanBytes: Math.round(thumbBytes / files.length),
      decodeForModel224PerSec: round(files.length / decode),
      probeDeepPerSec: round(files.length / probe),
      sharp: sharp.versions.sharp,
      libvips: sharp.versions.vips,
    }
  } finally {
    await rm(cacheDir, { recursive: true, force: true })
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await bench(), null, 2))
}
