// One fault trial: a server starts on the store, a few members send edits as fast as their windows allow,
// the server is SIGKILLed mid-burst, and the store is checked: every edit it acknowledged must be there.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { openStore } from '../../../src-main/core/store/open-store.ts'
import { checkEditLog, type EditLogCheck } from './edit-log-check.ts'
import { Labeler, type CellEdit } from './labeler.ts'
import { startServe } from './serve-process.ts'
import type { Member, TeamProject } from './team-project.ts'

export interface KillTrialOptions {
  /** Members to send edits as (one socket each). */
  members: Member[]
  /** When to kill, in ms after the burst began. */
  killAfterMs: number
  /** Edits each socket keeps unanswered at once. */
  window?: number
  /** A folder of its own for this trial (server config, export). */
  workDir: string
}

export interface KillTrialResult extends EditLogCheck {
  killAfterMs: number
  sent: number
  /** How the server ended: 'SIGKILL' when the kill, not something else, ended it. */
  exit: number | string | null
}

/** A random cell edit of the project. */
export function randomEdit(project: Pick<TeamProject, 'imageIds' | 'labels'>, random: () => number = Math.random): CellEdit {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
  return { imageId: pick(project.imageIds), label: pick(project.labels), value: random() < 0.5 ? 0 : 1 }
}

/** The newest group in the store's edit log (0 for none): later steps belong to the next trial. */
export async function lastGroup(location: string): Promise<number> {
  const store = await openStore(location)
  try {
    return (await store.history({ limit: 1 }))[0]?.group ?? 0
  } finally {
    await store.close()
  }
}

export async function killTrial(project: TeamProject, options: KillTrialOptions): Promise<KillTrialResult> {
  mkdirSync(options.workDir, { recursive: true })
  const sinceGroup = await lastGroup(project.location)
  const server = await startServe(project.location, options.workDir)
  const labelers: Labeler[] = []
  try {
    for (const member of options.members) labelers.push(await Labeler.open(server.port, member.name, member.token))
  } catch (err) {
    await server.kill()
    throw err
  }
  const window = options.window ?? 4
  // Each socket keeps `window` edits in flight until the server dies under it.
  const bursts = labelers.map(async (labeler) => {
    const lane = async (): Promise<void> => {
      while (!labeler.closed) await labeler.send(randomEdit(project))
    }
    await Promise.all(Array.from({ length: window }, lane))
  })
  await new Promise((done) => setTimeout(done, options.killAfterMs))
  const exit = await server.kill()
  await Promise.all(bursts)
  const edits = labelers.flatMap((labeler) => labeler.edits)
  const check = await checkEditLog(project.location, project.csvs, edits, join(options.workDir, 'export'), sinceGroup)
  return { killAfterMs: options.killAfterMs, sent: edits.length, exit, ...check }
}
