// Feature extraction figures for the default backbone (the bundled MobileNetV2 cut at its catalog
// feature layers): images per second with JPEG decode and resize included, over every image the
// apparel fixture's CSVs list (1,167), extrapolated to an 11k-image dataset; the engine the app
// picks, and TF.js WASM on a small sample for comparison. Also the physical floor: FLOPs per image
// (counted from the converted graph) over this CPU's peak (a large MatMul in ONNX Runtime). And the
// exported classifier through predict: model.onnx on ONNX Runtime against model.json on TF.js.
// Run alone: npx tsx bench/onnx.ts
import { readFileSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import * as ort from 'onnxruntime-node'
import { openDatabase } from '../src-main/core/db/open.ts'
import { decodeRgb, normalise } from '../src-main/core/images/decode.ts'
import { nsfwjsArtifacts } from '../src-main/core/ml/backbones/artifacts.ts'
import { resolveBackbone } from '../src-main/core/ml/backbones/catalog.ts'
import { backboneKey } from '../src-main/core/ml/backbones/load.ts'
import { extractFeatures, prepVersion } from '../src-main/core/ml/extract.ts'
import { loadFeatureMatrix } from '../src-main/core/ml/feature-cache.ts'
import { openOnnxBackbone } from '../src-main/core/ml/onnx/backbone.ts'
import { defaultThreads, sessionOptions } from '../src-main/core/ml/onnx/engine.ts'
import { pickEngine } from '../src-main/core/ml/onnx/engines.ts'
import { encodeModel } from '../src-main/core/ml/onnx/onnx-proto.ts'

const DATASET_SCALE = 11_000
const WASM_SAMPLE = 48
const PREDICT_SAMPLE = 48

function fixturesDir(): string {
  return process.env.TAGSMITH_FIXTURES ?? path.resolve(import.meta.dirname, '../..', 'shared/fixtures')
}

/** Image paths of train.csv and val.csv (second column), resolved against the dataset folder. */
function fixtureImages(): string[] {
  const root = path.join(fixturesDir(), 'apparel-mini')
  return ['train.csv', 'val.csv'].flatMap((csv) =>
    readFileSync(path.join(root, csv), 'utf8')
      .split(/\r?\n/)
      .slice(1)
      .filter((line) => line.trim() !== '')
      .map((line) => path.resolve(root, line.split(',')[1] ?? '')),
  )
}

const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits

/**
 * GFLOP/s of an n×n by n×n float32 MatMul in ONNX Runtime with `threads` threads: the best
 * wall-clock rate, and the rate per CPU-second this process got (which other load on the machine
 * does not lower, so it stands for an idle core).
 */
async function peakGflops(threads: number, n = 2048, runs = 6): Promise<{ wall: number; perCpuSecond: number }> {
  const model = encodeModel({
    producerName: 'tagsmith-bench',
    producerVersion: '1',
    graph: {
      name: 'matmul',
      nodes: [{ opType: 'MatMul', name: 'y', inputs: ['a', 'b'], outputs: ['y'] }],
      initializers: [],
      inputs: [
        { name: 'a', shape: [n, n] },
        { name: 'b', shape: [n, n] },
      ],
      outputs: [{ name: 'y', shape: [n, n] }],
    },
  })
  const session = await ort.InferenceSession.create(model, sessionOptions(threads))
  const a = new ort.Tensor('float32', new Float32Array(n * n).fill(0.5), [n, n])
  const b = new ort.Tensor('float32', new Float32Array(n * n).fill(0.25), [n, n])
  let best = Infinity
  let bestCpu = Infinity
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    const c = process.cpuUsage()
    await session.run({ a, b })
    const used = process.cpuUsage(c)
    if (i === 0) continue // first run allocates and packs
    best = Math.min(best, (performance.now() - t) / 1000)
    bestCpu = Math.min(bestCpu, (used.user + used.system) / 1e6)
  }
  await session.release()
  const flop = 2 * n ** 3
  return { wall: flop / best / 1e9, perCpuSecond: flop / bestCpu / 1e9 }
}

async function tfjsWasmRate(files: string[], size: number): Promise<number> {
  // Loaded only here so the ONNX figures are measured without TF.js in the process.
  const { initBackend } = await import('../src-main/core/ml/backend.ts')
  const { loadBackbone } = await import('../src-main/core/ml/backbones/load.ts')
  await initBackend({ only: ['wasm'] })
  const spec = resolveBackbone(undefined)
  const extractor = await loadBackbone(spec)
  const per = size * size * 3
  try {
    const warm = new Float32Array(per)
    await extractor.extract(warm, 1)
    const start = performance.now()
    for (let i = 0; i < files.length; i += 16) {
      const batch = files.slice(i, i + 16)
      const pixels = new Float32Array(batch.length * per)
      const decoded = await Promise.all(batch.map((f) => decodeRgb(f, { size })))
      decoded.forEach((rgb, k) => normalise(rgb, spec.normalisation, pixels.subarray(k * per, (k + 1) * per)))
      await extractor.extract(pixels, batch.length)
    }
    return files.length / ((performance.now() - start) / 1000)
  } finally {
    extractor.dispose()
  }
}

/**
 * An exported model folder as the export writes it (TF.js pipeline, tagsmith.json, model.onnx), with a
 * random 11-label head on the default backbone: what predict costs does not depend on the head's values.
 */
async function syntheticModelFolder(dir: string): Promise<void> {
  const { tf } = await import('../src-main/core/ml/tf.ts')
  const { memoryHandler } = await import('../src-main/core/ml/backbones/artifacts.ts')
  const { featureOutput } = await import('../src-main/core/ml/backbones/load.ts')
  const { buildPipelineModel } = await import('../src-main/core/ml/export/pipeline-model.ts')
  const { writeModelFiles } = await import('../src-main/core/ml/export/model-files.ts')
  const { CARD_FORMAT, writeModelCard } = await import('../src-main/core/ml/export/model-card.ts')
  const { exportOnnxModel } = await import('../src-main/core/ml/onnx/export.ts')
  const { sourceFromModelArtifacts } = await import('../src-main/core/ml/onnx/layers-source.ts')
  const spec = resolveBackbone(undefined)
  const artifacts = nsfwjsArtifacts('nsfwjs', 'models/mobilenet_v2')
  const backbone = await tf.loadLayersModel(memoryHandler(artifacts))
  const labels = ['black', 'blue', 'brown', 'green', 'red', 'white', 'dress', 'shirt', 'pants', 'shorts', 'shoes']
  const dim = featureOutput(backbone, spec.featureLayers, spec.id).shape[1] ?? 0
  let seed = 1
  const random = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1
  const head = {
    dim,
    numLabels: labels.length,
    mean: Float32Array.from({ length: dim }, () => random()),
    scale: Float32Array.from({ length: dim }, () => 1 + random() / 2),
    kernel: Float32Array.from({ length: dim * labels.length }, () => random() / 10),
    bias: Float32Array.from({ length: labels.length }, () => random()),
  }
  await mkdir(dir, { recursive: true })
  try {
    await writeModelFiles(buildPipelineModel(backbone, spec.featureLayers, head, spec.id), dir)
  } finally {
    backbone.dispose()
  }
  const exported = await exportOnnxModel({
    source: sourceFromModelArtifacts(artifacts),
    featureLayers: spec.featureLayers,
    head: { kernel: head.kernel, bias: head.bias, mean: head.mean, std: Float32Array.from(head.scale, (s) => 1 / s) },
    labels,
    pixelNormalisation: { mean: [...spec.normalisation.mean], std: [...spec.normalisation.std] },
    inputSize: [spec.inputSize, spec.inputSize],
    metadata: { thresholds: labels.map(() => 0.5), groups: [] },
    file: path.join(dir, 'model.onnx'),
  })
  const metrics = { n: 1, exactMatch: 0, hammingAccuracy: 0, macroF1: 0, microF1: 0, mAP: 0, perLabel: {} }
  writeModelCard(dir, {
    format: CARD_FORMAT,
    version: 1,
    model: { file: 'model.json', format: 'tfjs-layers-model', output: 'probabilities' },
    labels,
    thresholds: labels.map(() => 0.5),
    groups: [],
    input: { size: spec.inputSize, layout: 'NHWC', channels: 'RGB', resize: 'fill', background: 'white', normalisation: { mean: [0, 0, 0], std: [1, 1, 1] } },
    backbone: { id: spec.id, name: spec.name, source: spec.source, featureLayers: spec.featureLayers },
    training: { runId: 0, trainedAt: new Date().toISOString(), config: {} },
    dataset: { labelSnapshot: '' },
    metrics: { validation: metrics },
    app: { name: 'tagsmith', version: 'bench' },
    exportedAt: new Date().toISOString(),
    check: { images: 0, maxAbsDiff: 0 },
    onnx: { file: 'model.onnx', input: { layout: 'NHWC', range: [0, 1] }, output: 'probabilities', check: { images: exported.selfCheck.images, maxAbsDiff: exported.selfCheck.maxAbsDiff } },
  })
}

/** Milliseconds per image of predict on the folder with each engine (decode included, after a warm-up batch). */
async function predictMsPerImage(dir: string, files: string[]): Promise<{ onnx: number; tfjs: number; tfjsBackend: string }> {
  const { openModelFolder } = await import('../src-main/core/ml/export/model-folder.ts')
  const { tf } = await import('../src-main/core/ml/tf.ts')
  const out = { onnx: 0, tfjs: 0, tfjsBackend: '' }
  for (const engine of ['onnx', 'tfjs'] as const) {
    const folder = await openModelFolder(dir, engine)
    try {
      await folder.predict(files.slice(0, 8))
      const start = performance.now()
      const results = await folder.predict(files)
      if (results.some((r) => 'error' in r)) throw new Error('a fixture image did not decode')
      out[engine] = (performance.now() - start) / files.length
      if (engine === 'tfjs') out.tfjsBackend = tf.getBackend()
    } finally {
      await folder.dispose()
    }
  }
  return out
}

export async function bench(): Promise<Record<string, unknown>> {
  const files = fixtureImages()
  // Read every file once so no figure pays for the first disk read.
  await Promise.all(files.map((f) => readFile(f)))
  const spec = resolveBackbone(undefined)
  const { chosen } = await pickEngine()
  const threads = defaultThreads()
  const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'tagsmith-bench-onnx-'))
  try {
    const convertStart = performance.now()
    const backbone = await openOnnxBackbone({ spec, key: backboneKey(spec), artifacts: nsfwjsArtifacts('nsfwjs', 'models/mobilenet_v2'), cacheDir })
    const openSeconds = (performance.now() - convertStart) / 1000
    const size = spec.inputSize
    const per = size * size * 3

    // The app's extraction, as the extract and train jobs run it (ml/extract.ts): decode + resize
    // (sharp) overlapped with inference, batches of 16, each batch committed to a project-format
    // feature cache. CPU time (all threads of this process) per image says what an idle machine would
    // reach when other work shares the cores during the measurement.
    const load = os.loadavg()[0] ?? 0
    const db = openDatabase(path.join(cacheDir, 'features.tagsmith'))
    const images = files.map((absPath, i) => ({ id: i + 1, absPath, hash: `bench-${i}` }))
    const cpuBefore = process.cpuUsage()
    const extraction = await extractFeatures(db, backbone, images, { batchSize: 16 })
    const cpu = process.cpuUsage(cpuBefore)
    const cpuMsPerImage = (cpu.user + cpu.system) / 1000 / extraction.computed
    const sink = loadFeatureMatrix(db, extraction.key, prepVersion(spec), ['bench-0']).x[0] ?? Number.NaN
    db.close()

    // Inference alone, on already decoded pixels.
    const pixels = new Float32Array(16 * per).map((_, i) => (i % 251) / 251)
    await backbone.engine.run(pixels, 16)
    const inferStart = performance.now()
    const inferBatches = 8
    for (let i = 0; i < inferBatches; i++) await backbone.engine.run(pixels, 16)
    const inferenceOnly = (inferBatches * 16) / ((performance.now() - inferStart) / 1000)
    backbone.dispose()

    const macs = backbone.conversion.meta.macs
    const peakAll = await peakGflops(threads)
    const peakOne = await peakGflops(1)
    // Peak of the whole CPU: one core's rate per CPU-second times the cores (robust to other load),
    // or the measured multi-thread wall rate when that is higher.
    const peak = Math.max(peakAll.wall, peakOne.perCpuSecond * threads)
    const flops = 2 * macs
    const floorMs = (flops / (peak * 1e9)) * 1000

    const wasmFiles = files.slice(0, WASM_SAMPLE)
    const wasm = await tfjsWasmRate(wasmFiles, size)

    await syntheticModelFolder(path.join(cacheDir, 'model'))
    const predictFiles = files.slice(0, PREDICT_SAMPLE)
    const predictMs = await predictMsPerImage(path.join(cacheDir, 'model'), predictFiles)

    const ips = extraction.computed / extraction.seconds
    return {
      'predict.msPerImage': { onnx: round(predictMs.onnx, 1), tfjs: round(predictMs.tfjs, 1) },
      'predict.note': `tagsmith predict on an exported model folder (default backbone, 11 labels), ${predictFiles.length} fixture images in batches of 8, decode included; onnx: model.onnx on ONNX Runtime, tfjs: model.json on TF.js (${predictMs.tfjsBackend})`,
      'extraction.imagesPerSecond': round(chosen.name === 'onnx' ? ips : wasm),
      'extraction.engine': chosen.name,
      'extraction.backbone': `${spec.id} [${spec.featureLayers.join(', ')}]`,
      'extraction.imagesPerSecondByEngine': { onnx: round(ips), wasm: round(wasm) },
      'extraction.note': `the app's extraction (decode + resize, features cached); onnx over ${extraction.computed} fixture images (${threads} threads, batches of 16), wasm over the first ${wasmFiles.length}; 11k figure extrapolated`,
      'extraction.seconds11kExtrapolated': round(DATASET_SCALE / ips),
      'extraction.minutes11kExtrapolatedWasm': round(DATASET_SCALE / wasm / 60),
      'onnx.inferenceOnlyImagesPerSecond': round(inferenceOnly),
      'onnx.convertAndOpenSeconds': round(openSeconds, 2),
      'onnx.macsPerImage': macs,
      'onnx.gflopsPerImage': round(flops / 1e9, 3),
      'onnx.peakGflops': round(peak),
      'onnx.peakGflopsMeasured': {
        oneThreadWall: round(peakOne.wall),
        oneThreadPerCpuSecond: round(peakOne.perCpuSecond),
        [`threads${threads}Wall`]: round(peakAll.wall),
      },
      'onnx.floorMsPerImage': round(floorMs, 2),
      'onnx.floorImagesPerSecond': round(1000 / floorMs),
      'onnx.fractionOfPeak': round(ips / (1000 / floorMs), 3),
      'extraction.cpuMsPerImage': round(cpuMsPerImage, 2),
      'extraction.imagesPerSecondIdleEstimate': round((os.availableParallelism() * 1000) / cpuMsPerImage),
      'machine.loadAverage1mAtStart': round(load, 2),
      'onnx.checksum': Number.isFinite(sink),
    }
  } finally {
    await rm(cacheDir, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(`${JSON.stringify(await bench(), null, 2)}\n`)
}
