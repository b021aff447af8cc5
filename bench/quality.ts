// Label-error figures: how well the ranking finds planted flips (5% of the colour cells of apparel-mini's
// train.csv and val.csv, seeded, default training), for every scoring method; what one review step costs
// through the service (accept the top suspect, then fetch the queue again) on the full fixture; and
// ranking 11,675 images x 11 labels of synthetic probabilities.
// Run alone: npx tsx bench/quality.ts
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { Project } from '../src-main/core/dataset/project.ts'
import { trainProject } from '../src-main/core/ml/pipeline.ts'
import { getPredictions } from '../src-main/core/ml/run-predictions.ts'
import { getRun } from '../src-main/core/ml/runs.ts'
import { makeRng } from '../src-main/core/ml/rng.ts'
import { suspectQueue } from '../src-main/core/quality/queues.ts'
import { DEFAULT_METHOD, rankImages, SCORE_METHODS, suspectPairs, type PairMatrix } from '../src-main/core/quality/scoring.ts'
import { Service } from '../src-main/core/service.ts'
import { plantColourFlips, precisionAt } from '../tests/integration/quality/planted-flips.ts'

const SEED = 7
const STEPS = 20
const IMAGES = 11_675
const LABELS = 11

const round = (v: number, digits = 3): number => Number(v.toFixed(digits))

function stats(ms: number[]): { median: number; p95: number; n: number } {
  const s = [...ms].sort((a, b) => a - b)
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0
  return { median: round(at(0.5), 1), p95: round(at(0.95), 1), n: s.length }
}

/** Synthetic 11k x 11: one colour and one garment per image, probabilities near the truth, 3% flipped. */
function syntheticMatrix(): PairMatrix {
  const rand = makeRng(42)
  const probs = new Float32Array(IMAGES * LABELS)
  const stored = new Int8Array(IMAGES * LABELS)
  for (let i = 0; i < IMAGES; i++) {
    const colour = Math.floor(rand() * 6)
    const garment = 6 + Math.floor(rand() * 5)
    for (let j = 0; j < LABELS; j++) {
      const truth = j === colour || j === garment ? 1 : 0
      const p = truth ? 0.6 + 0.4 * rand() : 0.3 * rand() ** 2
      probs[i * LABELS + j] = p
      stored[i * LABELS + j] = rand() < 0.03 ? 1 - truth : truth
    }
  }
  return { rows: IMAGES, labels: LABELS, probs, stored, thresholds: Array<number>(LABELS).fill(0.5) }
}

export async function bench(): Promise<Record<string, unknown>> {
  const planted = plantColourFlips(SEED)
  const configDir = path.join(planted.dir, 'config')
  fs.mkdirSync(configDir)
  const service = new Service({ configDir, mode: 'web', version: 'bench' })
  try {
    const file = path.join(planted.dir, 'planted.tagsmith')
    const { project } = await Project.importCsvs({ csvs: planted.csvs, projectFile: file })
    const started = performance.now()
    const outcome = await trainProject(project)
    const trainSeconds = (performance.now() - started) / 1000
    project.close()

    await service.request('project:open', { file })
    const open = service.project
    if (!open) throw new Error('project did not open')
    const run = getRun(open.db, outcome.runId)
    const predictions = getPredictions(open.db, run.id, run.labels.length)
    if (!predictions) throw new Error('the run stored no predictions')
    const k = planted.images.size
    const methods: Record<string, { atK: number; at50: number; suspectImages: number; ms: number }> = {}
    for (const method of SCORE_METHODS) {
      const t = performance.now()
      const queue = suspectQueue(open, run, predictions, { method, limit: 100_000 })
      const ms = performance.now() - t
      methods[method] = { atK: round(precisionAt(queue.suspects, planted.images, k)), at50: round(precisionAt(queue.suspects, planted.images, 50)), suspectImages: queue.total, ms: round(ms, 1) }
    }

    // One review step as the UI takes it: accept the top suspect, fetch the queue again.
    const steps: number[] = []
    const fetches: number[] = []
    const stepCpu: number[] = []
    let queue = await service.request('quality:suspects', {})
    for (let i = 0; i < STEPS; i++) {
      const top = queue.suspects[0]
      if (!top) break
      const t = performance.now()
      const cpu = process.cpuUsage()
      await service.request('quality:review', { runId: run.id, imageId: top.imageId, label: top.label, action: 'accept' })
      const t1 = performance.now()
      queue = await service.request('quality:suspects', {})
      const t2 = performance.now()
      const used = process.cpuUsage(cpu)
      stepCpu.push((used.user + used.system) / 1000)
      steps.push(t2 - t)
      fetches.push(t2 - t1)
    }

    const matrix = syntheticMatrix()
    const ranks: number[] = []
    const rankCpu: number[] = []
    let ranked = 0
    for (let i = 0; i < 7; i++) {
      const t = performance.now()
      const cpu = process.cpuUsage()
      ranked = rankImages(suspectPairs(matrix)).length
      const used = process.cpuUsage(cpu)
      rankCpu.push((used.user + used.system) / 1000)
      ranks.push(performance.now() - t)
    }
    const best = methods[DEFAULT_METHOD]
    return {
      'quality.precisionAtK': best?.atK ?? null,
      'quality.precisionAt50': best?.at50 ?? null,
      'quality.k': k,
      'quality.plantedCells': planted.flips.size,
      'quality.colourCells': planted.cells,
      'quality.byMethod': methods,
      'quality.valExactMatch': round(outcome.metrics.exactMatch, 4),
      'quality.trainSeconds': round(trainSeconds, 1),
      'quality.queueStepMs': stats(steps),
      // CPU time of the process: what a step costs on an idle machine; wall time also counts other work.
      'quality.queueStepCpuMs': stats(stepCpu),
      'quality.queueFetchMs': stats(fetches),
      'quality.fixtureImages': open.images().length,
      'quality.rank11kx11Ms': stats(ranks),
      'quality.rank11kx11CpuMs': stats(rankCpu),
      'quality.rank11kx11SuspectImages': ranked,
      'quality.loadAverage1m': round(os.loadavg()[0] ?? 0, 2),
    }
  } finally {
    service.close()
    fs.rmSync(planted.dir, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(`${JSON.stringify(await bench(), null, 2)}\n`)
}
