// A load run of the team server: `servers` serve processes on one store, labelers split across them,
// each sending cell edits on its own jittered clock (open loop: it does not wait for answers), every one
// subscribed to labels:changed as the app is. Measures send-to-answer times, errors, what the edit log kept
// and, across servers, how soon another server's members hear of an edit.
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { join } from 'node:path'
import { checkEditLog } from '../../tests/support/team-server/edit-log-check.ts'
import { randomEdit } from '../../tests/support/team-server/kill-trial.ts'
import { Labeler, type SentEdit } from '../../tests/support/team-server/labeler.ts'
import { startServe, type ServeProcess } from '../../tests/support/team-server/serve-process.ts'
import type { TeamProject } from '../../tests/support/team-server/team-project.ts'
import { spread } from './options.ts'

export interface LoadOptions {
  servers: number
  seconds: number
  /** Edits per second, all labelers together. */
  rate: number
  workDir: string
}

/** How long to wait for the last answers, and for another server's event, before counting them missing. */
const SETTLE_MS = 30_000
const SEEN_WITHIN_MS = 10_000
const PROMISED_SEEN_MS = 1000

export async function loadRun(project: TeamProject, options: LoadOptions): Promise<Record<string, unknown>> {
  const started = performance.now()
  const servers = await Promise.all(Array.from({ length: options.servers }, () => startServe(project.location, options.workDir)))
  const startSeconds = (performance.now() - started) / 1000
  const where = new Map<Labeler, number>()
  const loop = monitorEventLoopDelay({ resolution: 10 })
  try {
    const labelers: Labeler[] = []
    for (const [i, member] of project.members.entries()) {
      const server = i % servers.length
      const labeler = await Labeler.open(servers[server]?.port ?? 0, member.name, member.token, true)
      labelers.push(labeler)
      where.set(labeler, server)
    }
    loop.enable()
    const meanGapMs = (1000 * labelers.length) / options.rate
    const endAt = performance.now() + options.seconds * 1000
    const answers: Array<Promise<SentEdit>> = []
    // Each labeler's gaps are uniform in [0.5, 1.5] of the mean, from a random first moment.
    await Promise.all(
      labelers.map(async (labeler) => {
        await sleep(Math.random() * meanGapMs)
        while (performance.now() < endAt) {
          answers.push(labeler.send(randomEdit(project)))
          await sleep(meanGapMs * (0.5 + Math.random()))
        }
      }),
    )
    await Promise.race([Promise.all(answers), sleep(SETTLE_MS)])
    loop.disable()
    // Events still on their way to other servers' members get the same grace.
    if (servers.length > 1) await sleep(Math.min(SEEN_WITHIN_MS, 2000))
    const edits = labelers.flatMap((labeler) => labeler.edits)
    const serverStderr = servers.map((server) => server.stderr().trim()).filter(Boolean)
    const alive = servers.filter((server) => server.child.exitCode === null && server.child.signalCode === null).length
    await Promise.all(labelers.map((labeler) => labeler.close()))
    await stopAll(servers)
    const check = await checkEditLog(project.location, project.csvs, edits, join(options.workDir, 'export'))
    const answered = edits.filter((edit) => edit.repliedAt !== undefined)
    const errorCodes: Record<string, number> = {}
    for (const edit of edits) if (edit.error) errorCodes[edit.error.code] = (errorCodes[edit.error.code] ?? 0) + 1
    const seen = servers.length > 1 ? seenByOthers(labelers, where) : null
    return {
      servers: servers.length,
      labelers: labelers.length,
      seconds: options.seconds,
      serverStartSeconds: round(startSeconds),
      sent: edits.length,
      editsPerSecond: round(edits.length / options.seconds),
      savedMs: spread(answered.filter((edit) => !edit.error).map((edit) => (edit.repliedAt ?? 0) - edit.sentAt)),
      errors: check.refused,
      ...(check.refused > 0 ? { errorCodes, errorExample: edits.find((edit) => edit.error)?.error?.message } : {}),
      unanswered: check.unanswered,
      acknowledged: check.acknowledged,
      unchanged: check.unchanged,
      lost: check.lost,
      ...(check.lost > 0 ? { lostExamples: check.lostExamples } : {}),
      landedUnacknowledged: check.landedUnacknowledged,
      exportCellsCompared: check.cellsCompared,
      exportMismatches: check.cellMismatches,
      ...(check.cellMismatches > 0 ? { mismatchExamples: check.mismatchExamples } : {}),
      ...(seen ? { seenByOthersMs: seen } : {}),
      serversAliveAtEnd: alive,
      // The clients run in this process: a busy loop here would show up as slow answers.
      clientLoopDelayP99Ms: round(loop.percentile(99) / 1e6),
      ...(serverStderr.length > 0 ? { serverStderr: serverStderr.map((text) => text.slice(0, 500)) } : {}),
    }
  } finally {
    await stopAll(servers)
  }
}

/**
 * For each edit that made a step: from its answer to the first labels:changed for its image that a member
 * on another server heard after the edit was sent (negative when the event beat the answer).
 */
function seenByOthers(labelers: Labeler[], where: Map<Labeler, number>): Record<string, unknown> {
  const delays: number[] = []
  const fromSend: number[] = []
  let missing = 0
  for (const labeler of labelers) {
    const others = labelers.filter((other) => where.get(other) !== where.get(labeler))
    for (const edit of labeler.edits) {
      if (edit.error || edit.repliedAt === undefined || !edit.group) continue
      let first = Number.POSITIVE_INFINITY
      for (const other of others) {
        const heard = other.heard.get(edit.change.imageId)?.find((at) => at >= edit.sentAt)
        if (heard !== undefined && heard < first) first = heard
      }
      if (first - edit.sentAt > SEEN_WITHIN_MS) missing++
      else {
        delays.push(first - edit.repliedAt)
        fromSend.push(first - edit.sentAt)
      }
    }
  }
  const within = delays.filter((ms) => ms <= PROMISED_SEEN_MS).length
  return {
    ...spread(delays),
    within1s: delays.length + missing === 0 ? null : round(within / (delays.length + missing)),
    missing,
    fromSend: spread(fromSend),
  }
}

async function stopAll(servers: ServeProcess[]): Promise<void> {
  await Promise.all(servers.map((server) => server.stop()))
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms))
}

const round = (value: number): number => Math.round(value * 1000) / 1000
