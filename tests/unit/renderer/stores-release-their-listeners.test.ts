import { describe, expect, it, vi } from 'vitest'
import type { TagsmithApi } from '../../../src-preload/contract.ts'
import { useJobsStore } from '../../../src-renderer/stores/jobs.ts'
import { useLabelsStore } from '../../../src-renderer/stores/labels.ts'
import { useViewStore } from '../../../src-renderer/stores/view.ts'
import { FakeBridge, sampleRows } from './fake-bridge.ts'
import { openProject } from './open-sample.ts'

const bridge = vi.hoisted(() => ({ current: undefined as TagsmithApi | undefined }))
vi.mock('../../../src-renderer/bridge.ts', () => ({ getBridge: () => bridge.current }))
const use = (b: FakeBridge): void => void (bridge.current = b)

describe('event listeners', () => {
  it('jobs follow progress and end events; disposing the stores leaves no listener behind', async () => {
    const fake = new FakeBridge(sampleRows())
    await openProject(fake, use)
    const jobs = useJobsStore()
    const labels = useLabelsStore()
    const view = useViewStore()
    expect(fake.listenerCount()).toBe(4)

    fake.emit('job:progress', { jobId: 'j1', kind: 'train', phase: 'features', done: 3, total: 10, rate: 2, etaSeconds: 4 })
    expect(jobs.current?.done).toBe(3)
    fake.emit('job:ended', { jobId: 'j1', kind: 'train', status: 'done' })
    expect(jobs.current).toBeNull()
    expect(jobs.lastEnded?.status).toBe('done')
    await jobs.cancel('j1')
    expect(fake.callsOf('job:cancel')).toEqual([{ jobId: 'j1' }])

    fake.emit('app:command', { command: 'export-csv' })
    expect(view.command?.command).toBe('export-csv')

    jobs.$dispose()
    labels.$dispose()
    view.$dispose()
    expect(fake.listenerCount()).toBe(0)
  })
})
