// Child-process job: which TF.js backend and device training will get here, which engine extraction
// will use, and the engine's default settings. Asked in a child because loading TF.js or ONNX Runtime
// in the service's process would stall it.
import type { JobContext } from '../protocol.ts'
import { initBackend, type BackendInfo } from '../../ml/backend.ts'
import { pickEngine, type EngineName, type EngineStatus } from '../../ml/onnx/engines.ts'
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../../ml/train.ts'

export interface BackendProbe {
  backend: BackendInfo
  engine: EngineName
  engines: EngineStatus[]
  defaults: TrainConfig
}

export async function run(_input: Record<string, never>, _ctx: JobContext): Promise<BackendProbe> {
  const backend = await initBackend()
  // The user's TAGSMITH_ENGINE must not turn the probe into an error: the default is what is shown.
  const { chosen, engines } = await pickEngine('')
  return { backend, engine: chosen.name, engines, defaults: { ...DEFAULT_TRAIN_CONFIG } }
}
