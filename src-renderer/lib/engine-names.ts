// One name per engine: the extraction engines (the picker, the header, progress) and the TF.js backend
// that trains the head say the same words for the same software.
import type { BackboneChoice, BackendInfo, EngineName, PresetChoice, RunSummary, TrainBackends } from '../../src-preload/contract.ts'

/** One entry of the engine picker: `value` null is "automatic"; `title` says why an engine is (not) usable. */
export interface EngineChoice {
  value: EngineName | null
  label: string
  disabled: boolean
  title: string
}

const ENGINE_NAMES: Record<EngineName, string> = {
  onnx: 'ONNX Runtime',
  'tfjs-node': 'TensorFlow native',
  wasm: 'TF.js WASM',
  cpu: 'TF.js plain JavaScript',
}

/** The TF.js backends the head trains on, by the names the extraction engines use for the same software. */
const HEAD_BACKENDS: Record<string, string> = {
  tensorflow: ENGINE_NAMES['tfjs-node'],
  wasm: ENGINE_NAMES.wasm,
  cpu: ENGINE_NAMES.cpu,
}

/** An engine as the picker names it, e.g. 'ONNX Runtime (onnx)'. */
export function engineLabel(name: EngineName): string {
  return `${ENGINE_NAMES[name]} (${name})`
}

/**
 * The extraction engine with the device it runs on, e.g. 'ONNX Runtime (CPU)'. Native TensorFlow runs
 * where the head's backend says (CUDA or the CPU) when that backend is native TensorFlow too.
 */
export function extractionName(name: EngineName, backend: BackendInfo | null): string {
  if (name === 'tfjs-node') return `${ENGINE_NAMES[name]} (${backend?.backend === 'tensorflow' && /gpu|cuda/i.test(backend.device) ? 'GPU' : 'CPU'})`
  return `${ENGINE_NAMES[name]} (CPU)`
}

/** The backend that trains the head, e.g. 'TF.js WASM'. */
export function headName(backend: BackendInfo): string {
  return HEAD_BACKENDS[backend.backend] ?? `TF.js ${backend.backend}`
}

/** A run's features as the Train panel's menus name them: the preset's name, else the backbone's catalog name. */
export function runFeaturesName(
  run: Pick<RunSummary, 'backbone' | 'preset'>,
  catalog: { backbones: readonly BackboneChoice[]; presets: readonly PresetChoice[] } | null,
): string {
  if (run.preset !== null) return catalog?.presets.find((p) => p.id === run.preset)?.name ?? run.preset
  return catalog?.backbones.find((b) => b.id === run.backbone)?.name ?? run.backbone
}

/** The engine picker: automatic first, then every engine, fastest first; those that do not work here are disabled. */
export function engineChoices(b: Pick<TrainBackends, 'engine' | 'engines'>): EngineChoice[] {
  const auto = b.engines.find((e) => e.name === b.engine)
  return [
    { value: null, label: `Automatic (fastest: ${b.engine})`, disabled: false, title: auto ? `${engineLabel(b.engine)}: ${auto.reason}` : engineLabel(b.engine) },
    ...b.engines.map((e) => ({ value: e.name, label: engineLabel(e.name), disabled: !e.available, title: e.reason })),
  ]
}
