// Label-error figures: how well the ranking finds planted flips (5% of the colour cells of apparel-mini's
// train.csv and val.csv, seeded, default training), for every scoring method; what one review step costs
// through the service (accept the top suspect, then fetch the queue again) on the full fixture; and
// ranking 11,675 images x 11 labels of synthetic probabilities; and the same review step, plus fetching the
// uncertainty queue, on an 11,675-image project (apparel-mini repeated) with a stored synthetic run.
// Run alone: npx tsx bench/quality.ts (only the 11k project: npx tsx bench/quality.ts --large)
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { Project } from '../src-main/core/dataset/project.ts'
import { trainProject } from '../src-main/core/jobs/train-project.ts'
import { getPredictions } from '../src-main/core/ml/run-predictions.ts'
import { putPredictions } from '../src-main/core/ml/run-predictions.ts'
import { getRun, insertRun, type NewRun } from '../src-main/core/ml/runs.ts'
import { DEFAULT_TRAIN_CONFIG } from '../src-main/core/ml/train.ts'
import { makeRng } from '../src-shared/rng.ts'
import { suspectQueue } from '../src-main/core/quality/queues.ts'
import { DEFAULT_METHOD, rankImages, SCORE_METHODS, suspectPairs, type PairMatrix } from '../src-main/core/quality/scoring.ts'
import { Service } from '../src-main/core/service/index.ts'
import { plantColourFlips, precisionAt } from '../tests/integration/quality/planted-flips.ts'
import { buildLargeDataset } from './dataset.ts'

const SEED = 7
const STEPS = 20
const IMAGES = 11_675
const LABELS = 11

const round = (v: number, digits = 3): number => Number(v.toFixed(digits))

const quantile = (ms: number[], q: number): number => {
  const s = [...ms].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0
}

function stats(ms: number[]): { median: number; p95: number; n: number } {
  return { median: round(quantile(ms, 0.5), 1), p95: round(quantile(ms, 0.95), 1), n: ms.length }
}

/** Wall time p50/p95 beside the process's CPU time p50 (other work on the machine inflates only the former). */
const wallAndCpu = (wall: number[], cpu: number[]): { p50: number; p95: number; cpuP50: number; n: number } => ({
  p50: round(quantile(wall, 0.5), 1),
  p95: round(quantile(wall, 0.95), 1),
  cpuP50: round(quantile(cpu, 0.5), 1),
  n: wall.length,
})

/** Wall and CPU milliseconds of one awaited piece of work. */
async function timed<T>(work: () => Promise<T>): Promise<{ value: T; wall: number; cpu: number }> {
  const t = performance.now()
  const cpu = process.cpuUsage()
  const value = await work()
  const used = process.cpuUsage(cpu)
  return { value, wall: performance.now() - t, cpu: (used.user + used.system) / 1000 }
}

/** A stored run over the project's labels whose probabilities follow the stored cells, 3% of them contradicted. */
function storeSyntheticRun(project: Project): number {
  const labels = project.labels()
  const run: NewRun = {
    config: { ...DEFAULT_TRAIN_CONFIG },
    backbone: { id: 'bench', key: 'bench:l1', name: 'Bench', source: 'bundled', featureLayers: ['l1'], inputSize: 8, normalisation: { mean: [0, 0, 0], std: [1, 1, 1] }, prep: 1 },
    labels,
    labelSnapshot: '0'.repeat(64),
    history: [],
    metrics: { n: 0, exactMatch: 0, hammingAccuracy: 0, macroF1: 0, microF1: 0, mAP: 0, perLabel: {} },
    thresholds: labels.map(() => 0.5),
    groups: null,
    backend: 'cpu',
    head: { dim: 1, numLabels: labels.length, mean: Float32Array.from([0]), scale: Float32Array.from([1]), kernel: new Float32Array(labels.length), bias: new Float32Array(labels.length) },
    timings: { extractSeconds: 0, trainSeconds: 0 },
  }
  const runId = insertRun(project.db, run)
  const rand = makeRng(42)
  const rows = project.images().map((record) => {
    const probs = Float32Array.from(record.labels, (v) => {
      const truth = v ?? (rand() < 0.2 ? 1 : 0)
      const agrees = rand() >= 0.03
      const towards = agrees ? truth : 1 - truth
      return towards === 1 ? 0.55 + 0.45 * rand() : 0.45 * rand() ** 2
    })
    return { imageId: record.id, probs, source: 'oof' as const }
  })
  putPredictions(project.db, runId, labels.length, rows)
  return runId
}

/** The review step and the uncertainty queue fetch through the service on an 11,675-image project. */
export async function benchLarge(): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tagsmith-bench-quality-'))
  const configDir = path.join(dir, 'config')
  fs.mkdirSync(configDir)
  const service = new Service({ configDir, mode: 'web', version: 'bench' })
  try {
    const { project } = await Project.importCsvs({ csvs: buildLargeDataset(dir), projectFile: path.join(dir, 'large.tagsmith') })
    const images = project.images().length
    const labels = project.labels().length
    const runId = storeSyntheticRun(project)
    const file = project.file
    project.close()
    await service.request('project:open', { file })

    const first = await timed(() => service.request('quality:suspects', { runId }))
    let queue = first.value
    const steps: number[] = []
    const stepCpu: number[] = []
    for (let i = 0; i < STEPS; i++) {
      const top = queue.suspects[0]
      if (!top) break
      const step = await timed(async () => {
        await service.request('quality:review', { runId, imageId: top.imageId, label: top.label, action: i % 4 === 3 ? 'keep' : 'accept' })
        return service.request('quality:suspects', { runId })
      })
      queue = step.value
      steps.push(step.wall)
      stepCpu.push(step.cpu)
    }
    // The uncertainty queue as the panel walks it: confirm the top image, fetch the queue again.
    const firstUncertain = await timed(() => service.request('quality:uncertain', { runId }))
    let uncertain = firstUncertain.value
    const fetches: number[] = []
    const fetchCpu: number[] = []
    for (let i = 0; i < STEPS; i++) {
      const top = uncertain.items[0]
      if (!top) break
      await service.request('quality:confirm', { runId, imageId: top.imageId })
      const fetch = await timed(() => service.request('quality:uncertain', { runId }))
      uncertain = fetch.value
      fetches.push(fetch.wall)
      fetchCpu.push(fetch.cpu)
    }
    return {
      'quality.largeImages': images,
      'quality.largeLabels': labels,
      'quality.largeSuspectImages': queue.total,
      'quality.largeUncertainImages': uncertain.total,
      // the first fetch reads the run's probabilities and every cell; later ones follow commits only
      'quality.firstSuspectsMs11k': { wall: round(first.wall, 1), cpu: round(first.cpu, 1) },
      // accept (keep every fourth) the top suspect, then fetch the queue again
      'quality.queueStepMs11k': wallAndCpu(steps, stepCpu),
      'quality.firstUncertainMs11k': { wall: round(firstUncertain.wall, 1), cpu: round(firstUncertain.cpu, 1) },
      // after confirming the top image
      'quality.uncertainFetchMs11k': wallAndCpu(fetches, fetchCpu),
      'quality.largeLoadAverage1m': round(os.loadavg()[0] ?? 0, 2),
    }
  } finally {
    service.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
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
      ...(await benchLarge()),
    }
  } finally {
    service.close()
    fs.rmSync(planted.dir, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = process.argv.includes('--large') ? await benchLarge() : await bench()
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`)
}
