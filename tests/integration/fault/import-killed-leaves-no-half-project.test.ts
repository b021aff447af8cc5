import { existsSync, mkdirSync, readdirSync } from 'node:fs'
import { basename, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Project, type ImageRecord } from '../../../src-main/core/dataset/project.ts'
import { expectKilledOrDone, runChild, type ChildControl } from './support/child.ts'
import { apparelCsv, checkSqliteFile, tempDir } from './support/datasets.ts'
import { baseSeed, concurrency, pool, reportCounts, seeded, shareOfTrials } from './support/trials.ts'

const TRIALS = shareOfTrials(0.25, 5)
const ROWS = 300
const child = join(import.meta.dirname, 'child', 'service-import.ts')

interface Outcome {
  state: 'absent' | 'complete'
  /** Files the killed import left beside the project (its temp database). */
  leftovers: string[]
  phase: 'hashing' | 'writing'
}

describe('an import through the service, SIGKILLed at a random moment', () => {
  const temp = tempDir('import')
  let csv = ''
  let reference: ImageRecord[] = []
  let labels: string[] = []
  /** How long an uninterrupted import takes here, from the child's "ready". */
  let importMs = 0

  beforeAll(async () => {
    csv = apparelCsv(temp.dir, ROWS)
    const { project } = await Project.importCsvs({ csvs: [csv], projectFile: join(temp.dir, 'reference.tagsmith') })
    reference = project.images()
    labels = project.labels()
    project.close()
    // One uninterrupted run through the child: it must work, and it tells how long an import takes.
    const configDir = join(temp.dir, 'config-calibrate')
    mkdirSync(configDir)
    let doneAfter = 0
    const end = await runChild(child, [csv, join(temp.dir, 'calibrate.tagsmith'), configDir], (line, control) => {
      if (line.startsWith('done ')) doneAfter = control.sinceReady()
    })
    expectKilledOrDone(end, 'the calibration import')
    expect(end.lines.at(-1)).toBe(`done ${ROWS}`)
    importMs = doneAfter
  })
  afterAll(() => temp.remove())

  async function trial(index: number, seed: number): Promise<Outcome> {
    const next = seeded(seed)
    const dir = join(temp.dir, `trial-${index}`)
    mkdirSync(join(dir, 'config'), { recursive: true })
    const projectFile = join(dir, 'killed.tagsmith')
    // Half the kills land anywhere in the import; the other half while the project file is written
    // (after hashing reported its last image).
    const phase = next() < 0.5 ? 'hashing' : 'writing'
    const delay = phase === 'hashing' ? next() * importMs * 1.2 : next() * 250
    const killLater = (control: ChildControl): void => void setTimeout(() => control.kill(), delay)
    const end = await runChild(child, [csv, projectFile, join(dir, 'config')], (line, control) => {
      if (phase === 'hashing' && line === 'ready') killLater(control)
      if (phase === 'writing' && line === `progress ${ROWS} ${ROWS}`) killLater(control)
    })
    const where = `trial ${index} (seed ${seed}, ${phase}, kill after ${delay.toFixed(0)} ms)`
    expectKilledOrDone(end, where)

    const leftovers = readdirSync(dir).filter((f) => f !== 'config' && !f.startsWith(basename(projectFile)))
    expect(leftovers, `${where}: unexpected files`).toEqual([])
    const temps = readdirSync(dir).filter((f) => f.startsWith(`${basename(projectFile)}.`) && f.includes('.tmp'))
    if (!existsSync(projectFile)) {
      // Absent: then nothing that could pass for the project either.
      for (const suffix of ['-wal', '-shm', '-journal']) expect(existsSync(projectFile + suffix), where).toBe(false)
      return { state: 'absent', leftovers: temps, phase }
    }
    // Present: whole, and exactly what an uninterrupted import writes.
    expect(checkSqliteFile(projectFile), where).toEqual({ integrity: 'ok', foreignKeyViolations: 0 })
    const project = Project.open(projectFile)
    try {
      expect(project.labels(), where).toEqual(labels)
      expect(project.images(), where).toEqual(reference)
    } finally {
      project.close()
    }
    return { state: 'complete', leftovers: temps, phase }
  }

  it(`leaves the project file absent or complete and openable, never half-written (${TRIALS} trials)`, async () => {
    const seed = baseSeed()
    const outcomes = await pool(TRIALS, concurrency(), (i) => trial(i, seed + i))
    const count = (pick: (o: Outcome) => boolean): number => outcomes.filter(pick).length
    reportCounts('import', {
      trials: outcomes.length,
      seed,
      rowsPerImport: ROWS,
      importMs: Math.round(importMs),
      killedWhileHashing: count((o) => o.phase === 'hashing'),
      killedWhileWriting: count((o) => o.phase === 'writing'),
      absent: count((o) => o.state === 'absent'),
      complete: count((o) => o.state === 'complete'),
      trialsLeavingTempFiles: count((o) => o.leftovers.length > 0),
    })
  }, 60_000 + TRIALS * 15_000)
})
