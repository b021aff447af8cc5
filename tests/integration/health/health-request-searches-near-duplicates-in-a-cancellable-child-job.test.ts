import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobEnded, JobProgress } from '../../../src-preload/contract.ts'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { forkLauncher } from '../../../src-main/core/jobs/fork-launcher.ts'
import { setJobLauncher } from '../../../src-main/core/jobs/run-job.ts'
import { resolveBackbone } from '../../../src-main/core/ml/backbones/catalog.ts'
import { cacheKeyOf } from '../../../src-main/core/ml/backbones/load.ts'
import { prepVersion } from '../../../src-main/core/ml/extract.ts'
import { putFeatures } from '../../../src-main/core/ml/feature-cache.ts'
import { makeRng } from '../../../src-shared/rng.ts'
import { Service } from '../../../src-main/core/service/index.ts'
import { tempDir, writeText } from '../../unit/dataset/helpers.ts'

// health:get runs the near-duplicate search as a job of its own kind, in a child process: progress under
// the health job, cancel by job:cancel, and a second ask with nothing changed answered from the last search.
// 2,100 images with random features make three blocks of rows (six block products) on ONNX Runtime.
const ROWS = 2100
const started: string[] = []
let file = ''
let dir = ''

async function bigProject(): Promise<void> {
  dir = tempDir()
  const lines = ['image,cat,dog']
  for (let i = 0; i < ROWS; i++) {
    // Every image its own content: the colour spells the row number.
    const background = { r: i % 256, g: Math.floor(i / 256), b: 7 }
    await sharp({ create: { width: 4, height: 4, channels: 3, background } }).png().toFile(join(dir, `${i}.png`))
    lines.push(`${i}.png,${i % 2},${(i + 1) % 2}`)
  }
  file = join(dir, 'big.tagsmith')
  const { project } = await Project.importCsvs({ csvs: [writeText(dir, 'train.csv', `${lines.join('\n')}\n`)], projectFile: file })
  try {
    const spec = resolveBackbone(undefined)
    const rng = makeRng(5)
    const rows = project.images().map((r) => ({ hash: r.hash ?? '', data: Float32Array.from({ length: 376 }, () => rng()) }))
    putFeatures(project.db, cacheKeyOf(spec), prepVersion(spec), rows)
  } finally {
    project.close()
  }
}

beforeAll(async () => {
  setJobLauncher((spec, on) => {
    started.push(spec.name)
    return forkLauncher(spec, on)
  })
  await bigProject()
}, 120_000)

afterAll(() => setJobLauncher(null))

describe('the near-duplicate search of health:get', () => {
  it('runs in a child job with progress, can be cancelled, and is reused while nothing it reads changes', async () => {
    const configDir = join(dir, 'config')
    mkdirSync(configDir)
    const service = new Service({ configDir, mode: 'web', version: '0.0.0-test' })
    const progress: JobProgress[] = []
    const ended: JobEnded[] = []
    const off = [service.events['job:progress'].on((p) => progress.push(p)), service.events['job:ended'].on((e) => ended.push(e))]
    try {
      await service.request('project:open', { file })

      // Cancelled as soon as the search reports its first block: the child stops between blocks.
      const stopAtFirstBlock = service.events['job:progress'].on((p) => {
        if (p.kind === 'health' && p.phase === 'near-duplicates') {
          stopAtFirstBlock()
          void service.request('job:cancel', { jobId: p.jobId })
        }
      })
      await expect(service.request('health:get', {})).rejects.toMatchObject({ code: 'CANCELLED' })
      expect(ended.filter((e) => e.kind === 'health').map((e) => e.status)).toEqual(['cancelled'])
      expect(started.filter((name) => name === 'near-duplicates')).toHaveLength(1)

      const report = await service.request('health:get', {})
      expect(report.nearDuplicates).toMatchObject({ backbone: cacheKeyOf(resolveBackbone(undefined)), withoutFeatures: 0, pairs: [] })
      expect(started.filter((name) => name === 'near-duplicates')).toHaveLength(2)
      const jobId = ended.at(-1)?.jobId
      const search = progress.filter((p) => p.jobId === jobId && p.phase === 'near-duplicates')
      expect(search.at(-1)).toMatchObject({ kind: 'health', done: 6, total: 6 })

      // A label edit leaves the search valid: answered without another child.
      await service.request('labels:set', { changes: [{ imageId: 1, label: 'dog', value: 1 }] })
      expect(await service.request('health:get', {})).toMatchObject({ nearDuplicates: report.nearDuplicates })
      expect(started.filter((name) => name === 'near-duplicates')).toHaveLength(2)
    } finally {
      for (const stop of off) stop()
      service.close()
    }
  }, 120_000)
})
