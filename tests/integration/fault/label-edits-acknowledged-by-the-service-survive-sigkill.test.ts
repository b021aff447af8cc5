import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ImageRow, ProjectInfo } from '../../../src-preload/contract.ts'
import { Service } from '../../../src-main/core/service/index.ts'
import { expectKilledOrDone, runChild } from './support/child.ts'
import { apparelProject, checkSqliteFile, tempDir } from './support/datasets.ts'
import { differences, EditModel, logProblems, readStored, type Ack, type Sent } from './support/edit-model.ts'
import { baseSeed, concurrency, editTrials, pool, randomInt, reportCounts, seeded } from './support/trials.ts'

const TRIALS = editTrials()
const child = join(import.meta.dirname, 'child', 'service-edit-burst.ts')
/** The kill comes after a random number of printed lines (one "send" and one "ack" per request). */
const MAX_LINES = 400

interface TrialResult {
  acknowledged: number
  changesAcknowledged: number
  cellsChecked: number
  inFlightCommitted: boolean
}

/** The project through a fresh service, as the app would open it after the crash. */
async function reopenThroughService(file: string, configDir: string): Promise<{ info: ProjectInfo; rows: ImageRow[] }> {
  const service = new Service({ configDir, mode: 'web', version: 'crash-check' })
  try {
    const opened = await service.handle('project:open', { file })
    if (!opened.ok) throw new Error(`the project does not open after the kill: ${opened.error.message}`)
    const listed = await service.handle('images:list', {})
    if (!listed.ok) throw new Error(`images:list failed after the kill: ${listed.error.message}`)
    return { info: opened.result as ProjectInfo, rows: listed.result as ImageRow[] }
  } finally {
    service.close()
  }
}

describe('label edits sent through the service, SIGKILLed at random points', () => {
  const temp = tempDir('edits')
  let pristine = ''

  beforeAll(async () => {
    pristine = await apparelProject(temp.dir, 60)
  })
  afterAll(() => temp.remove())

  async function trial(index: number, seed: number): Promise<TrialResult> {
    const file = join(temp.dir, `trial-${index}.tagsmith`)
    const configDir = join(temp.dir, `config-${index}`)
    mkdirSync(configDir)
    copyFileSync(pristine, file)
    const model = new EditModel(new Map(readStored(file).cells))
    const killAt = randomInt(seeded(seed ^ 0x5bd1e995), 2, MAX_LINES)
    let lastSent: Sent | null = null
    let acknowledged = 0
    let changesAcknowledged = 0
    let contradiction: unknown = null
    let lines = 0

    const end = await runChild(child, [file, configDir, String(seed)], (line, control) => {
      try {
        if (line.startsWith('send ')) lastSent = JSON.parse(line.slice(5)) as Sent
        if (line.startsWith('ack ')) {
          const ack = JSON.parse(line.slice(4)) as Ack
          model.apply(ack)
          lastSent = null
          acknowledged++
          changesAcknowledged += ack.changes.length
        }
      } catch (err) {
        contradiction = err
        control.kill()
      }
      if (++lines >= killAt) control.kill()
    })
    const where = `trial ${index} (seed ${seed}, killed after ${acknowledged} acknowledged requests)`
    if (contradiction) throw new Error(`${where}: the service answered inconsistently: ${String(contradiction)}`)
    expectKilledOrDone(end, where)
    expect(end.killed, `${where}: the burst ended by itself`).toBe(true)

    expect(checkSqliteFile(file), where).toEqual({ integrity: 'ok', foreignKeyViolations: 0 })
    const { info, rows } = await reopenThroughService(file, configDir)
    const stored = readStored(file)
    expect(logProblems(stored), where).toEqual([])
    // What the service shows is what the file holds.
    for (const row of rows) {
      row.labels.forEach((value, l) => expect(stored.cells.get(`${row.id} ${info.labels[l]}`), where).toBe(value))
    }

    // Every acknowledged request is there; at most the one in flight at the kill committed as well.
    let inFlightCommitted = false
    if (differences(stored, model).length > 0) {
      const known = new Set([...model.applied, ...model.undone, ...model.groups.keys()])
      const newGroup = [...stored.applied, ...stored.undone].filter((g) => !known.has(g)).at(-1)
      const sent: Sent | null = lastSent
      const withInFlight = sent ? model.withUnacknowledged(sent, newGroup) : null
      expect(withInFlight ? differences(stored, withInFlight) : differences(stored, model), where).toEqual([])
      inFlightCommitted = true
    }
    return { acknowledged, changesAcknowledged, cellsChecked: model.cells.size, inFlightCommitted }
  }

  it(`keep every acknowledged edit, undo and redo, with an edit log that replays to the cells (${TRIALS} trials)`, async () => {
    const seed = baseSeed()
    const results = await pool(TRIALS, concurrency(), (i) => trial(i, seed + i))
    const sum = (pick: (r: TrialResult) => number): number => results.reduce((total, r) => total + pick(r), 0)
    reportCounts('edits', {
      trials: results.length,
      seed,
      requestsAcknowledged: sum((r) => r.acknowledged),
      labelChangesAcknowledged: sum((r) => r.changesAcknowledged),
      cellsChecked: sum((r) => r.cellsChecked),
      inFlightCommitted: sum((r) => (r.inFlightCommitted ? 1 : 0)),
    })
    expect(sum((r) => r.acknowledged)).toBeGreaterThan(TRIALS)
  }, 60_000 + TRIALS * 12_000)
})
