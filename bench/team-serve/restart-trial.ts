// The database restarts under a team server: members send edits one after another (each waits for its
// answer) while PostgreSQL is stopped, kept down for `downMs` and started again. The server must stay up,
// answer edits during the outage with UNAVAILABLE naming the database server, and save them again after;
// no acknowledged edit may be missing afterwards.
import { join } from 'node:path'
import type { Cluster } from '../../tests/support/postgres-cluster.ts'
import { checkEditLog } from '../../tests/support/team-server/edit-log-check.ts'
import { lastGroup, randomEdit } from '../../tests/support/team-server/kill-trial.ts'
import { Labeler } from '../../tests/support/team-server/labeler.ts'
import { startServe } from '../../tests/support/team-server/serve-process.ts'
import type { Member, TeamProject } from '../../tests/support/team-server/team-project.ts'
import { spread } from './options.ts'

export interface RestartOptions {
  members: Member[]
  /** How long the database stays stopped. */
  downMs: number
  workDir: string
}

const BEFORE_MS = 1500
const GAP_MS = 50
/** After the database is back: how long to wait for every member's first saved edit. */
const RECOVERY_LIMIT_MS = 30_000

export async function restartTrial(project: TeamProject, cluster: Cluster, options: RestartOptions): Promise<Record<string, unknown>> {
  const sinceGroup = await lastGroup(project.location)
  const server = await startServe(project.location, options.workDir)
  try {
    const labelers: Labeler[] = []
    for (const member of options.members) labelers.push(await Labeler.open(server.port, member.name, member.token))
    let stopAt = Number.POSITIVE_INFINITY
    const lanes = labelers.map(async (labeler) => {
      while (!labeler.closed && performance.now() < stopAt) {
        await labeler.send(randomEdit(project))
        await sleep(GAP_MS)
      }
    })
    await sleep(BEFORE_MS)
    const downAt = performance.now()
    await cluster.restart(options.downMs)
    const upAt = performance.now()
    // Once every member has had an edit saved after the restart (or the limit passed), one more second.
    const limit = upAt + RECOVERY_LIMIT_MS
    while (performance.now() < limit && !labelers.every((l) => l.closed || l.edits.some((e) => e.sentAt > upAt && e.group !== undefined))) await sleep(100)
    stopAt = performance.now() + 1000
    await Promise.race([Promise.all(lanes), sleep(RECOVERY_LIMIT_MS)])
    const alive = server.child.exitCode === null && server.child.signalCode === null
    const edits = labelers.flatMap((labeler) => labeler.edits)
    await Promise.all(labelers.map((labeler) => labeler.close()))
    const exit = alive ? await server.stop() : await server.exited

    const failed = edits.filter((edit) => edit.error !== undefined)
    const pgAddress = new URL(project.location).host
    const codes: Record<string, number> = {}
    for (const edit of failed) codes[edit.error?.code ?? ''] = (codes[edit.error?.code ?? ''] ?? 0) + 1
    const firstFailed = Math.min(...failed.map((edit) => edit.sentAt))
    const lastFailed = Math.max(...failed.map((edit) => edit.repliedAt ?? edit.sentAt))
    const savedAfter = edits.filter((edit) => edit.group !== undefined && edit.sentAt >= (failed.length > 0 ? lastFailed : upAt)).map((edit) => edit.repliedAt ?? 0)
    const firstSavedAgain = savedAfter.length > 0 ? Math.min(...savedAfter) : null
    // Edits sent while the database was down or coming back: how long each took to be answered.
    const duringOutage = edits.filter((edit) => edit.sentAt >= downAt && edit.sentAt <= (firstSavedAgain ?? upAt) && edit.repliedAt !== undefined)
    const check = await checkEditLog(project.location, project.csvs, edits, join(options.workDir, 'export'), sinceGroup)
    return {
      databaseDownSeconds: seconds(upAt - downAt),
      serverStayedUp: alive,
      ...(alive ? {} : { serverExit: exit, serverStderr: server.stderr().trim().slice(0, 1500) }),
      sent: edits.length,
      failed: failed.length,
      errorCodes: codes,
      errorsNameTheServer: failed.length > 0 && failed.every((edit) => edit.error?.message.includes(pgAddress)),
      errorExample: failed[0]?.error?.message.replaceAll(pgAddress, 'HOST:PORT') ?? null,
      // From the first failing edit's send to the last failing one's answer.
      editsFailedSeconds: failed.length > 0 ? seconds(lastFailed - firstFailed) : 0,
      firstFailedAfterDownSeconds: failed.length > 0 ? seconds(firstFailed - downAt) : null,
      savedAgainAfterUpSeconds: firstSavedAgain === null ? null : seconds(firstSavedAgain - upAt),
      answerMsDuringOutage: spread(duringOutage.map((edit) => (edit.repliedAt ?? 0) - edit.sentAt)),
      unanswered: check.unanswered,
      acknowledged: check.acknowledged,
      lost: check.lost,
      ...(check.lost > 0 ? { lostExamples: check.lostExamples } : {}),
      landedUnacknowledged: check.landedUnacknowledged,
      exportMismatches: check.cellMismatches,
    }
  } finally {
    await server.kill()
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms))
}

const seconds = (ms: number): number => Math.round(ms) / 1000
