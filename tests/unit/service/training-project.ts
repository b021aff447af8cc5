import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { EventName, Events } from '../../../src-preload/contract.ts'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { Service } from '../../../src-main/core/service/index.ts'
import type { FakeClient } from './fake-transport.ts'
import { apparelDir } from './helpers.ts'

/**
 * A project of the first `train` rows of the apparel train.csv and the first `val` rows of val.csv,
 * in its own temp folder (images through a symlink to the read-only fixture). For a whole test file:
 * call `remove()` in afterAll.
 */
export async function trainingProject(train: number, val: number): Promise<{ dir: string; file: string; remove(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'tagsmith-training-'))
  const csvs: string[] = []
  for (const [name, rows] of [['train.csv', train], ['val.csv', val]] as const) {
    if (rows === 0) continue
    const lines = readFileSync(join(apparelDir(), name), 'utf8').split(/\r?\n/)
    writeFileSync(join(dir, name), `${lines.slice(0, rows + 1).join('\n')}\n`)
    csvs.push(join(dir, name))
  }
  symlinkSync(join(apparelDir(), 'clothes_dataset'), join(dir, 'clothes_dataset'), 'dir')
  const file = join(dir, 'training.tagsmith')
  const { project } = await Project.importCsvs({ csvs, projectFile: file })
  project.close()
  return { dir, file, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** A web-mode service with a config folder inside `dir`. */
export function serviceIn(dir: string): Service {
  const configDir = join(dir, `config-${Math.random().toString(36).slice(2)}`)
  mkdirSync(configDir)
  return new Service({ configDir, mode: 'web', version: '0.0.0-test' })
}

export type Logged = { [E in EventName]: { name: E; payload: Events[E] } }[EventName]

/** Every event of the given streams, in the order the client received them. */
export function recordEvents(client: FakeClient, names: EventName[]): Logged[] {
  const log: Logged[] = []
  for (const name of names) client.on(name, (payload) => log.push({ name, payload } as Logged))
  return log
}

/** Resolves with the first event of `name` that `accept` takes. */
export function nextEvent<E extends EventName>(client: FakeClient, name: E, accept: (p: Events[E]) => boolean = () => true): Promise<Events[E]> {
  return new Promise((resolve) => {
    const off = client.on(name, (payload) => {
      if (!accept(payload)) return
      off()
      resolve(payload)
    })
  })
}
