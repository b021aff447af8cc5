// Which engine extracts features: every candidate with whether it works here and why (shown in the
// UI and the CLI), the fastest working one by default, and the user's override.
import { createRequire } from 'node:module'
import type { EngineName, EngineStatus } from '../../../../src-preload/contract.ts'
import { TagsmithError } from '../../errors.ts'
import { onnxRuntimeVersion } from './engine.ts'
import { encodeModel } from './onnx-proto.ts'

const requireHere = createRequire(import.meta.url)

export type { EngineName, EngineStatus }

/**
 * Fastest first on a CPU: ONNX Runtime (fused convolutions, about 12 ms per MobileNetV2 image per
 * core here) beats native TensorFlow, which beats WASM, which beats plain JavaScript.
 */
export const ENGINE_PREFERENCE: readonly EngineName[] = ['onnx', 'tfjs-node', 'wasm', 'cpu']

export type EngineProbe = () => Promise<{ available: boolean; reason: string }>

/**
 * Probes each engine: ONNX Runtime by running a one-node model, native TensorFlow by loading its
 * binding, WASM by finding its package. Pass `probes` to substitute checks (e.g. the TF.js backend
 * initialiser's, which also knows whether a GPU is visible).
 */
export async function listEngines(probes: Partial<Record<EngineName, EngineProbe>> = {}): Promise<EngineStatus[]> {
  const defaults: Record<EngineName, EngineProbe> = {
    onnx: probeOnnx,
    'tfjs-node': () => loadProbe('@tensorflow/tfjs-node', 'native TensorFlow on the CPU'),
    wasm: () => packageProbe('@tensorflow/tfjs-backend-wasm', 'TF.js WebAssembly backend'),
    cpu: async () => ({ available: true, reason: 'plain JavaScript, always present (slowest)' }),
  }
  const out: EngineStatus[] = []
  for (const name of ENGINE_PREFERENCE) {
    const probe = probes[name] ?? defaults[name]
    try {
      out.push({ name, ...(await probe()) })
    } catch (err) {
      out.push({ name, available: false, reason: err instanceof Error ? err.message : String(err) })
    }
  }
  return out
}

/**
 * The engine to use: `requested` (a user's choice, or TAGSMITH_ENGINE) when it works here, else a
 * clear UNAVAILABLE error; with no request, the fastest available one.
 */
export async function pickEngine(
  requested?: string,
  probes: Partial<Record<EngineName, EngineProbe>> = {},
): Promise<{ chosen: EngineStatus; engines: EngineStatus[] }> {
  const wanted = requested ?? process.env.TAGSMITH_ENGINE
  if (wanted !== undefined && wanted !== '' && !ENGINE_PREFERENCE.includes(wanted as EngineName)) {
    throw new TagsmithError('BAD_INPUT', `unknown engine '${wanted}': choose one of ${ENGINE_PREFERENCE.join(', ')}`)
  }
  const engines = await listEngines(probes)
  if (wanted) {
    const e = engines.find((x) => x.name === wanted) as EngineStatus
    if (!e.available) throw new TagsmithError('UNAVAILABLE', `engine '${wanted}' is not available here: ${e.reason}`)
    return { chosen: e, engines }
  }
  const chosen = engines.find((e) => e.available)
  if (!chosen) throw new TagsmithError('UNAVAILABLE', 'no feature extraction engine works here')
  return { chosen, engines }
}

async function packageProbe(pkg: string, what: string): Promise<{ available: boolean; reason: string }> {
  try {
    requireHere.resolve(pkg)
    return { available: true, reason: `${what} (${pkg} installed)` }
  } catch {
    return { available: false, reason: `${what} needs the optional package ${pkg}, which is not installed` }
  }
}

/** An optional native package counts only if it loads: npm may leave one whose binary cannot. */
async function loadProbe(pkg: string, what: string): Promise<{ available: boolean; reason: string }> {
  try {
    requireHere.resolve(pkg)
  } catch {
    return { available: false, reason: `${what} needs the optional package ${pkg}, which is not installed` }
  }
  try {
    await import(/* @vite-ignore */ pkg)
    return { available: true, reason: `${what} (${pkg})` }
  } catch (err) {
    return { available: false, reason: `${pkg} is installed but does not load: ${err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err)}` }
  }
}

/** Loads onnxruntime-node and runs a one-node model, which proves the native binary works here. */
async function probeOnnx(): Promise<{ available: boolean; reason: string }> {
  let ort: typeof import('onnxruntime-node')
  try {
    ort = await import('onnxruntime-node')
  } catch (err) {
    return { available: false, reason: `onnxruntime-node does not load: ${err instanceof Error ? err.message : String(err)}` }
  }
  const model = encodeModel({
    producerName: 'tagsmith',
    producerVersion: 'probe',
    graph: {
      name: 'probe',
      nodes: [{ opType: 'Relu', name: 'y', inputs: ['x'], outputs: ['y'] }],
      initializers: [],
      inputs: [{ name: 'x', shape: [2] }],
      outputs: [{ name: 'y', shape: [2] }],
    },
  })
  try {
    const session = await ort.InferenceSession.create(model, { executionProviders: ['cpu'] })
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.of(-1, 2), [2]) })
    await session.release()
    const y = out.y?.data as Float32Array | undefined
    if (!y || y[0] !== 0 || y[1] !== 2) return { available: false, reason: 'onnxruntime-node loads but computes wrong results' }
    return { available: true, reason: `ONNX Runtime ${onnxRuntimeVersion()} on the CPU` }
  } catch (err) {
    return { available: false, reason: `onnxruntime-node cannot run a model: ${err instanceof Error ? err.message : String(err)}` }
  }
}
