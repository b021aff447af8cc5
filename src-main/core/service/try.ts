// The service's model:try: images from outside the project labelled by a run. The run's backbone stays
// loaded in a resident child process between requests (jobs/resident-job.ts), so the Electron main thread
// and the web server never run a model, and every image after the first is labelled in tens of ms.
import type { RequestName, TryAnswer, TryFile } from '../../../src-preload/contract.ts'
import type { Project } from '../dataset/project.ts'
import { ResidentJob } from '../jobs/resident-job.ts'
import { tryAnswer, tryRunOf, trySetup } from '../ml/try-answer.ts'
import type { HandlerTable } from './handler-table.ts'
import { requireOpen } from './open-project.ts'

export interface TryServiceOptions {
  project: () => Project | null
  /** where download-once backbones are kept (default: the platform's cache folder) */
  cacheDir?: string
  /** how long the model stays loaded without a request (default resident-job.ts's) */
  idleMs?: number
}

export class TryService {
  readonly #options: TryServiceOptions
  readonly #resident: ResidentJob<'try'>

  constructor(options: TryServiceOptions) {
    this.#options = options
    this.#resident = new ResidentJob('try', { idleMs: options.idleMs })
  }

  readonly handlers: HandlerTable<Extract<RequestName, 'model:try'>> = {
    'model:try': async ({ runId, files, decodeGroups }) => this.#try(runId, files, decodeGroups ?? true),
  }

  async #try(runId: number | undefined, files: readonly TryFile[], decodeGroups: boolean): Promise<TryAnswer> {
    const setup = trySetup(requireOpen(this.#options.project()), runId)
    const out = await this.#resident.run({
      key: setup.key,
      run: tryRunOf(setup.run),
      files: files.map((f) => ({ name: f.name, bytes: Buffer.from(f.bytesBase64, 'base64') })),
      cacheDir: this.#options.cacheDir,
    })
    return tryAnswer(setup, decodeGroups, out)
  }

  /** Stops the resident child (the service is closing). */
  close(): void {
    this.#resident.close()
  }
}
