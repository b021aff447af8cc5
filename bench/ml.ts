// Training figures: head seconds per epoch on 11k synthetic features of the default preset's size,
// warm retrain (features cached in a project file: load + 20 epochs, in process, and as the app runs
// it: the training job on an 11k-row project whose features are all cached), and the cold "CSV to
// model" path on the apparel fixture (import with hashing, feature extraction of every image,
// training, stored run) with the extraction rate of the engine in use.
// Run alone: npx tsx bench/ml.ts
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { Project } from '../src-main/core/dataset/project.ts'
import { openDatabase } from '../src-main/core/db/open.ts'
import { initBackend } from '../src-main/core/ml/backend.ts'
import { resolveChoice } from '../src-main/core/ml/backbones/presets.ts'
import { featureParts } from '../src-main/core/ml/feature-parts.ts'
import { colourDim } from '../src-main/core/ml/parts/colour-designs.ts'
import { putFeatures, loadFeatureMatrix } from '../src-main/core/ml/feature-cache.ts'
import { labelMatrix } from '../src-main/core/ml/label-matrix.ts'
import { defaultExtractWorkers } from '../src-main/core/jobs/extract-parallel.ts'
import { ProgressMeter } from '../src-main/core/jobs/progress-meter.ts'
import { trainProject } from '../src-main/core/jobs/train-project.ts'
import { makeRng } from '../src-shared/rng.ts'
import { trainHead } from '../src-main/core/ml/train.ts'
import { buildLargeDataset } from './dataset.ts'

const ROWS = 11_000
// The default preset's features: pooled block_2/5/9/12/15 of MobileNetV2, then colour statistics.
const DEFAULT = resolveChoice({})
const TAPS = 376
const DIM = TAPS + (DEFAULT.spec.colour ? colourDim(DEFAULT.spec.colour) : 0)
const LABELS = 11
// The default preset's hidden layer, timed beside the linear head (ReLU units).
const HIDDEN = DEFAULT.head.hiddenUnits ?? 0
const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits

function fixturesDir(): string {
  return process.env.TAGSMITH_FIXTURES ?? path.resolve(import.meta.dirname, '../..', 'shared/fixtures')
}

/** 11k synthetic feature rows in a fresh project-format database, as a warm retrain finds them. */
function syntheticCache(dir: string): { dbFile: string; hashes: string[]; labels: Array<Array<0 | 1>> } {
  const dbFile = path.join(dir, 'warm.tagsmith')
  const db = openDatabase(dbFile)
  const rng = makeRng(7)
  const hashes: string[] = []
  const labels: Array<Array<0 | 1>> = []
  const rows: Array<{ hash: string; data: Float32Array }> = []
  for (let i = 0; i < ROWS; i++) {
    const hash = `synthetic-${i}`
    const row = Array.from({ length: LABELS }, () => (rng() < 0.18 ? 1 : 0) as 0 | 1)
    const data = new Float32Array(DIM)
    for (let d = 0; d < DIM; d++) data[d] = rng() + (row[d % LABELS] === 1 ? 0.5 : 0)
    hashes.push(hash)
    labels.push(row)
    rows.push({ hash, data })
  }
  putFeatures(db, 'bench', 1, rows)
  db.close()
  return { dbFile, hashes, labels }
}

/**
 * A project of ROWS fixture rows (images repeated through hard links) whose features are all cached
 * under every part of the default preset, with synthetic values: a retrain reads them and extracts nothing.
 */
async function warmProject(dir: string): Promise<Project> {
  const { project } = await Project.importCsvs({ csvs: buildLargeDataset(dir, ROWS), projectFile: path.join(dir, 'warm-job.tagsmith') })
  const rng = makeRng(11)
  const hashes = new Set(project.images().flatMap((r) => (r.hash ? [r.hash] : [])))
  // Every part of the default preset: the backbone's taps, then the colour statistics.
  featureParts(DEFAULT.spec).forEach((part, i) => {
    const dim = i === 0 ? TAPS : DIM - TAPS
    putFeatures(project.db, part.key, part.prep, [...hashes].map((hash) => ({ hash, data: Float32Array.from({ length: dim }, () => rng()) })))
  })
  return project
}

export async function bench(): Promise<Record<string, unknown>> {
  const info = await initBackend()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tagsmith-bench-ml-'))
  try {
    const { dbFile, hashes, labels } = syntheticCache(dir)
    const trainRows = Array.from({ length: Math.round(ROWS * 0.8) }, (_, i) => i)
    const valRows = Array.from({ length: ROWS - trainRows.length }, (_, i) => trainRows.length + i)

    // Warm retrain in process: read 11k cached rows, standardise, 20 epochs.
    let t = performance.now()
    const warmCpu = process.cpuUsage()
    const db = openDatabase(dbFile, { readonly: true })
    const { x, dim } = loadFeatureMatrix(db, 'bench', 1, hashes)
    db.close()
    const loadSeconds = (performance.now() - t) / 1000
    // Every epoch: early stopping would make the figure depend on when the validation loss turns.
    const trained = await trainHead({ x, dim, labels: labelMatrix(labels, LABELS), trainRows, valRows }, { epochs: 20, hiddenUnits: 0, earlyStopping: false })
    const warmSeconds = (performance.now() - t) / 1000
    const warmCpuUsed = process.cpuUsage(warmCpu)
    t = performance.now()
    const hiddenCpu = process.cpuUsage()
    await trainHead({ x, dim, labels: labelMatrix(labels, LABELS), trainRows, valRows }, { ...DEFAULT.head, hiddenUnits: HIDDEN, epochs: 20, earlyStopping: false })
    const hiddenSeconds = (performance.now() - t) / 1000
    const hiddenCpuUsed = process.cpuUsage(hiddenCpu)
    const epochSeconds = trained.history.slice(1).reduce((s, h) => s + h.seconds, 0) / Math.max(1, trained.history.length - 1)

    // As the app runs it: the training job (process start, module loading, reading the cache, storing
    // the run), with every feature cached and no out-of-fold predictions.
    const warm = await warmProject(fs.mkdtempSync(path.join(dir, 'warm-')))
    t = performance.now()
    await trainProject(warm, { config: { epochs: 20, earlyStopping: false }, folds: 0 })
    const warmJobSeconds = (performance.now() - t) / 1000
    warm.close()

    // Cold: CSVs to a stored run on the full fixture.
    const fixture = path.join(fixturesDir(), 'apparel-mini')
    t = performance.now()
    const { project, report } = await Project.importCsvs({ csvs: [path.join(fixture, 'train.csv'), path.join(fixture, 'val.csv')], projectFile: path.join(dir, 'apparel.tagsmith') })
    const importSeconds = (performance.now() - t) / 1000
    project.setSetting('groups', [report.labels.slice(0, 6), report.labels.slice(6)])
    // The extraction rate as the app shows it: measured on the job's progress.
    let extractRate = 0
    const meter = new ProgressMeter()
    let cpu = process.cpuUsage()
    const outcome = await trainProject(project, {
      onProgress: (p) => {
        const { rate } = meter.measure(p)
        if (p.phase === 'extract' && rate) extractRate = rate
      },
    })
    cpu = process.cpuUsage(cpu)
    project.close()
    const coldSeconds = (performance.now() - t) / 1000

    return {
      'ml.backend': info.backend,
      'ml.device': info.device,
      'ml.extraction.imagesPerSecond': round(extractRate, 1),
      'ml.extraction.note': `engine ${outcome.engine}, the default preset (${outcome.backbone}), decode + resize + colour statistics included, ${outcome.extraction.computed} fixture images (over ${defaultExtractWorkers()} child processes when TF.js extracts)`,
      'ml.head.dim': DIM,
      'ml.head.secondsPerEpoch11k': round(epochSeconds, 3),
      'ml.warmRetrain11kx20Seconds': round(warmSeconds),
      // CPU time is what the retrain costs on an idle machine; wall time also counts other processes.
      'ml.warmRetrain11kx20CpuSeconds': round((warmCpuUsed.user + warmCpuUsed.system) / 1e6),
      'ml.warmRetrain11kx20LoadSeconds': round(loadSeconds),
      'ml.warmRetrain11kx20Hidden.units': HIDDEN,
      'ml.warmRetrain11kx20HiddenSeconds': round(hiddenSeconds),
      'ml.warmRetrain11kx20HiddenCpuSeconds': round((hiddenCpuUsed.user + hiddenCpuUsed.system) / 1e6),
      'ml.warmRetrain11kx20ViaJobSeconds': round(warmJobSeconds),
      'ml.cold.csvToModelSeconds': round(coldSeconds, 1),
      'ml.cold.importSeconds': round(importSeconds, 1),
      'ml.cold.extractSeconds': round(outcome.timings.extractSeconds, 1),
      'ml.cold.trainSeconds': round(outcome.timings.trainSeconds, 1),
      'ml.cold.parentCpuSeconds': round((cpu.user + cpu.system) / 1e6, 1),
      'ml.fixture.valExactMatch': round(outcome.metrics.exactMatch, 4),
      'ml.fixture.valExactMatchGrouped': round(outcome.metrics.exactMatchGrouped ?? Number.NaN, 4),
      'ml.fixture.valMacroF1': round(outcome.metrics.macroF1, 4),
      'ml.fixture.valMAP': round(outcome.metrics.mAP, 4),
      'ml.loadAverage1m': round(os.loadavg()[0] ?? 0),
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(`${JSON.stringify(await bench(), null, 2)}\n`)
}
