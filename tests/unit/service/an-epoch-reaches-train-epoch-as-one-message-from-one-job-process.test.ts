import { readdirSync, readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TrainEpoch } from '../../../src-preload/contract.ts'
import { forkLauncher } from '../../../src-main/core/jobs/fork-launcher.ts'
import { setJobLauncher } from '../../../src-main/core/jobs/run-job.ts'
import type { Service } from '../../../src-main/core/service/index.ts'
import { FakeClient } from './fake-transport.ts'
import { nextEvent, serviceIn, trainingProject } from './training-project.ts'

// The head trains in the training job's own process, so an epoch crosses one process boundary: one
// message from that process, then one train:epoch event. The job's messages are counted as they arrive
// from its process, and the job processes below this one are listed as each epoch comes in: a relay
// through another process would show as a second one.
const EPOCHS = 4

let project: Awaited<ReturnType<typeof trainingProject>>
let service: Service
let client: FakeClient
const started: string[] = []
const epochMessages: unknown[] = []
const epochEvents: TrainEpoch[] = []
const jobProcessesAtEpochs: number[][] = []

/** Processes below this one whose command line runs the job worker. */
function jobProcessesBelow(root: number): number[] {
  const parentOf = new Map<number, number>()
  const commandOf = new Map<number, string>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      // The parent pid is the first field after the command name, which sits in parentheses.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]))
      commandOf.set(Number(entry), readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' '))
    } catch {
      // gone meanwhile
    }
  }
  const below = (pid: number): boolean => {
    for (let p = parentOf.get(pid); p !== undefined && p > 1; p = parentOf.get(p)) if (p === root) return true
    return false
  }
  return [...commandOf].filter(([pid, command]) => command.includes('jobs/worker') && below(pid)).map(([pid]) => pid)
}

beforeAll(async () => {
  setJobLauncher((spec, on) => {
    started.push(spec.name)
    return forkLauncher(spec, {
      ...on,
      message: (msg) => {
        if (msg.type === 'event' && msg.name === 'epoch') epochMessages.push(msg.data)
        on.message(msg)
      },
    })
  })
  project = await trainingProject(16, 8)
  service = serviceIn(project.dir)
  client = new FakeClient(service, 'ui')
  await client.invoke('project:open', { file: project.file })
  client.on('train:epoch', (e) => {
    epochEvents.push(e)
    jobProcessesAtEpochs.push(jobProcessesBelow(process.pid))
  })
  const ended = nextEvent(client, 'job:ended', (e) => e.kind === 'train')
  await client.invoke('train:start', { epochs: EPOCHS, seed: 3 })
  expect(await ended).toMatchObject({ status: 'done' })
}, 180_000)

afterAll(() => {
  setJobLauncher(null)
  client?.close()
  service?.close()
  project?.remove()
})

describe('an epoch on its way from the head to the UI', () => {
  it('starts one process for the whole run, features included', () => {
    expect(started.filter((name) => name !== 'backend')).toEqual(['train'])
  })

  it('arrives as one message from the job process per epoch, and leaves as one train:epoch event', () => {
    expect(epochMessages).toHaveLength(EPOCHS)
    expect(epochEvents.map((e) => e.epoch)).toEqual([1, 2, 3, 4])
    expect(epochEvents.map(({ jobId: _jobId, ...stats }) => stats)).toEqual(epochMessages)
  })

  it('comes from the only job process there is while the head trains', () => {
    expect(jobProcessesAtEpochs).toHaveLength(EPOCHS)
    for (const processes of jobProcessesAtEpochs) expect(processes).toHaveLength(1)
  })
})
