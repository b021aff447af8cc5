// The background thumbnail job: started when a project opens with thumbnails missing, reported like any
// job, cancellable without leaving a partial file, resumed by the next open, and not started at all when
// every thumbnail and tint is cached.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { expect, test } from 'vitest'
import type { JobEnded, JobProgress } from '../../../src-preload/contract.ts'
import { readTints, tintsFile } from '../../../src-main/core/images/tints.ts'
import { thumbnailPath } from '../../../src-main/core/images/thumbnails.ts'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { apparelProject, newService } from '../../unit/service/helpers.ts'

function listen(service: ReturnType<typeof newService>): { progress: JobProgress[]; ended: JobEnded[] } {
  const progress: JobProgress[] = []
  const ended: JobEnded[] = []
  service.subscribe('job:progress', 'test', (p) => progress.push(p))
  service.subscribe('job:ended', 'test', (e) => ended.push(e))
  return { progress, ended }
}

function hashes(file: string): string[] {
  const project = Project.open(file)
  try {
    return project
      .images()
      .filter((image) => image.status === 'ok' && image.hash !== null)
      .map((image) => image.hash ?? '')
  } finally {
    project.close()
  }
}

/** Every file under the cache folder, relative. */
function cacheFiles(cacheDir: string): string[] {
  return readdirSync(cacheDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
}

test('opening a project makes every missing thumbnail and tint in a job; opening it again starts none', async () => {
  const file = await apparelProject(24)
  const cacheDir = `${file}.cache`
  const wanted = hashes(file)
  expect(wanted.length).toBeGreaterThan(20)

  const service = newService({ backgroundThumbnails: true })
  const events = listen(service)
  await service.request('project:open', { file })
  const outcome = await service.thumbnails.last
  expect(outcome).toMatchObject({ started: true, missing: wanted.length, result: { done: wanted.length, generated: wanted.length, failed: 0 } })

  const ours = events.progress.filter((p) => p.kind === 'thumbnails')
  expect(ours.length).toBeGreaterThan(0)
  expect(ours.at(-1)).toMatchObject({ phase: 'making thumbnails', done: wanted.length, total: wanted.length })
  expect(ours.every((p) => Number.isFinite(p.rate))).toBe(true)
  expect(events.ended).toEqual([{ jobId: ours[0]?.jobId, kind: 'thumbnails', status: 'done' }])

  const tints = await readTints(tintsFile(cacheDir, 256))
  for (const hash of wanted) {
    const meta = await sharp(thumbnailPath(cacheDir, hash)).metadata()
    expect(meta.format).toBe('webp')
    expect(tints.get(hash)).toMatch(/^[0-9a-f]{18}$/)
  }

  // The tints reach the grid as one string of hash8 + three colours per image.
  const packed = await service.request('images:tints', {})
  expect(packed).toHaveLength(26 * new Set(wanted).size)
  const records = packed.match(/.{26}/g) ?? []
  for (const hash of wanted) expect(records).toContain(hash.slice(0, 8) + tints.get(hash))

  // Everything is cached now: the next open looks, finds nothing to do and starts no job.
  const again = listen(service)
  await service.request('project:open', { file })
  expect(await service.thumbnails.last).toEqual({ started: false, missing: 0 })
  expect(again.progress.filter((p) => p.kind === 'thumbnails')).toEqual([])
  expect(again.ended).toEqual([])
})

test('a cancelled job leaves only whole thumbnails, and the next open makes the rest', async () => {
  const file = await apparelProject(160)
  const cacheDir = `${file}.cache`
  const wanted = hashes(file)
  const service = newService({ backgroundThumbnails: true })
  const events = listen(service)
  let cancelled = false
  service.subscribe('job:progress', 'test', (p) => {
    if (p.kind !== 'thumbnails' || cancelled || p.done < 5) return
    cancelled = true
    void service.request('job:cancel', { jobId: p.jobId })
  })
  await service.request('project:open', { file })
  const outcome = await service.thumbnails.last
  expect(outcome).toMatchObject({ started: true, result: null, error: { code: 'CANCELLED' } })
  expect(events.ended.at(-1)).toMatchObject({ kind: 'thumbnails', status: 'cancelled' })

  const files = cacheFiles(cacheDir)
  expect(files.filter((f) => !f.endsWith('.webp') && !f.endsWith('.txt'))).toEqual([])
  const made = files.filter((f) => f.endsWith('.webp'))
  expect(made.length).toBeGreaterThanOrEqual(5)
  expect(made.length).toBeLessThan(wanted.length)
  for (const thumb of made) expect((await sharp(thumb).metadata()).format).toBe('webp')

  await service.request('project:open', { file })
  const resumed = await service.thumbnails.last
  expect(resumed).toMatchObject({ started: true, result: { failed: 0 } })
  if (!resumed.started || resumed.result === null) throw new Error('the job did not finish')
  // Only what was missing is made; tints of thumbnails made before the cancel are kept or filled in.
  expect(resumed.missing).toBeLessThanOrEqual(wanted.length - made.length + 2)
  expect(resumed.result.generated).toBe(wanted.length - made.length)
  expect(cacheFiles(cacheDir).filter((f) => f.endsWith('.webp'))).toHaveLength(wanted.length)
  expect((await readTints(tintsFile(cacheDir, 256))).size).toBe(wanted.length)
})
