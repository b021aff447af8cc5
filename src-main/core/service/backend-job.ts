// Child-process job: which TF.js backend and device training will get here, and the engine's default
// settings. Asked in a child because loading TF.js in the service's process would stall it.
import type { JobContext } from '../jobs/protocol.ts'
import { initBackend, type BackendInfo } from '../ml/backend.ts'
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../ml/train.ts'

export interface BackendProbe {
  backend: BackendInfo
  defaults: TrainConfig
}

export async function run(_input: unknown, _ctx: JobContext): Promise<BackendProbe> {
  return { backend: await initBackend(), defaults: { ...DEFAULT_TRAIN_CONFIG } }
}
