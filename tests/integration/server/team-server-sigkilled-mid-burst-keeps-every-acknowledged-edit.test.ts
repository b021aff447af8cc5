// `tagsmith serve` SIGKILLed while three team members send edits as fast as they can: every edit it
// answered is in the store's edit log under its author, and the export equals the imported CSVs with the
// log replayed over them. (`npm run bench -- team-faults` runs ten such trials and the database restart.)
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { isPostgresUrl } from '../../../src-main/core/store/open-store.ts'
import { freshDatabase, pgEnabled } from '../../support/postgres-cluster.ts'
import { killTrial } from '../../support/team-server/kill-trial.ts'
import { teamProject } from '../../support/team-server/team-project.ts'
import { tempDir } from './helpers.ts'

describe('a team server killed mid-burst', () => {
  const temp = tempDir()
  afterAll(() => temp.remove())

  const trial = async (databaseUrl: string | undefined): Promise<void> => {
    const dir = join(temp.dir, databaseUrl === undefined ? 'file' : 'pg')
    const project = await teamProject(dir, { rows: 20, members: ['ana', 'ben', 'cy'], ...(databaseUrl === undefined ? {} : { databaseUrl }) })
    expect(isPostgresUrl(project.location)).toBe(databaseUrl !== undefined)
    const killAfterMs = 150 + Math.floor(Math.random() * 350)
    const result = await killTrial(project, { members: project.members, killAfterMs, workDir: join(dir, 'trial') })
    expect(result.exit).toBe('SIGKILL')
    // The burst was under way: edits were answered before the kill.
    expect(result.acknowledged, JSON.stringify(result)).toBeGreaterThan(0)
    expect(result.refused).toBe(0)
    expect({ lost: result.lost, examples: result.lostExamples }).toEqual({ lost: 0, examples: [] })
    expect(result.landedUnacknowledged).toBeLessThanOrEqual(result.unanswered)
    expect(result.cellsCompared).toBe(20 * project.labels.length)
    expect({ mismatches: result.cellMismatches, examples: result.mismatchExamples }).toEqual({ mismatches: 0, examples: [] })
  }

  it('keeps every acknowledged edit of a project file', async () => {
    await trial(undefined)
  })

  it.skipIf(!pgEnabled())('keeps every acknowledged edit of a team store', async () => {
    await trial(await freshDatabase())
  })
})
