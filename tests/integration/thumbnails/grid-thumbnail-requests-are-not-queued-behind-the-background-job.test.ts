// A thumbnail the grid asks for while the background job runs is made at once by the service, not after
// the job's queue: the images at the end of the job's order come back while the job is still early on,
// and the job then finds them cached.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { thumbnailFor } from '../../../src-main/core/images/thumbnails.ts'
import { apparelProject, newService } from '../../unit/service/helpers.ts'

const ASKED = 8

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? NaN
}

test('thumbnails asked for during the background job are served before the job reaches them', async () => {
  const file = await apparelProject(200)
  const project = Project.open(file)
  const images = project.images().filter((image) => image.status === 'ok' && image.hash !== null)
  const paths = new Map(images.map((image) => [image.id, project.imagePath(image.id) ?? '']))
  project.close()
  const last = images.slice(-ASKED)

  // The same work with nothing else running: the service's on-demand path, timed alone.
  const scratch = mkdtempSync(join(tmpdir(), 'tagsmith-thumb-alone-'))
  const alone: number[] = []
  try {
    for (const image of images.slice(-2 * ASKED, -ASKED)) {
      const started = performance.now()
      await thumbnailFor(paths.get(image.id) ?? '', image.hash ?? '', scratch)
      alone.push(performance.now() - started)
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }

  const service = newService({ backgroundThumbnails: true })
  let done = 0
  const running = new Promise<void>((started) =>
    service.subscribe('job:progress', 'test', (p) => {
      if (p.kind !== 'thumbnails') return
      done = p.done
      if (p.done >= 2) started()
    }),
  )
  await service.request('project:open', { file })
  await running

  const during: number[] = []
  for (const image of last) {
    const started = performance.now()
    await service.imageSource(image.id, 'thumb')
    during.push(performance.now() - started)
  }
  const doneWhenServed = done
  expect(service.thumbnails.jobId).not.toBeNull()
  expect(doneWhenServed).toBeLessThan(images.length - ASKED)

  const outcome = await service.thumbnails.last
  if (!outcome.started || outcome.result === null) throw new Error('the background job did not finish')
  // The job met the asked-for thumbnails already made, and made all the others.
  expect(outcome.result.cached).toBeGreaterThanOrEqual(ASKED)
  expect(outcome.result.generated + outcome.result.cached).toBe(images.length)
  // Sharing two cores with a job at the lowest priority costs a request little; the bound is loose
  // because other work on the machine moves both figures.
  expect(median(during)).toBeLessThan(5 * median(alone) + 50)
})
