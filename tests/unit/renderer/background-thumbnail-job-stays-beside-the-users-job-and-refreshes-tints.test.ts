import { describe, expect, it, vi } from 'vitest'
import type { RequestName, Requests, TagsmithApi } from '../../../src-preload/contract.ts'
import { useImagesStore } from '../../../src-renderer/stores/images.ts'
import { useJobsStore } from '../../../src-renderer/stores/jobs.ts'
import { FakeBridge, sampleRows } from './fake-bridge.ts'
import { openProject } from './open-sample.ts'

const bridge = vi.hoisted(() => ({ current: undefined as TagsmithApi | undefined }))
vi.mock('../../../src-renderer/bridge.ts', () => ({ getBridge: () => bridge.current }))
const use = (b: FakeBridge): void => void (bridge.current = b)

/** A fake whose images:tints answers whatever `packed` holds at the time. */
class TintBridge extends FakeBridge {
  packed = ''

  protected override answer<K extends RequestName>(name: K, input: Requests[K]['in']): Promise<Requests[K]['out']> {
    if (name === 'images:tints') return Promise.resolve(this.packed as Requests[K]['out'])
    return super.answer(name, input)
  }
}

const flush = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

describe('background thumbnails', () => {
  it('tiles get their colours after the rows load and again when the thumbnail job ends', async () => {
    const fake = new TintBridge(sampleRows())
    // Row 1 (hash8 00000001) has colours already; row 2 gets them from the job.
    fake.packed = '00000001ff000000ff000000ff'
    await openProject(fake, use)
    await flush()
    const images = useImagesStore()
    expect(images.placeholder(1)).toBe('linear-gradient(#ff0000, #00ff00, #0000ff)')
    expect(images.placeholder(2)).toBeNull()

    const jobs = useJobsStore()
    fake.packed += '00000002101010202020303030'
    fake.emit('job:progress', { jobId: 'thumbnails-1', kind: 'thumbnails', phase: 'making thumbnails', done: 5, total: 9, rate: 40, etaSeconds: 0.1 })
    expect(images.placeholder(2)).toBeNull()
    fake.emit('job:ended', { jobId: 'thumbnails-1', kind: 'thumbnails', status: 'done' })
    await flush()
    expect(images.placeholder(2)).toBe('linear-gradient(#101010, #202020, #303030)')
    expect(fake.calls.filter((c) => c.name === 'images:tints')).toHaveLength(2)
    expect(jobs.lastEnded).toBeNull()
  })

  it("a user's job keeps the status bar's main place while the thumbnail job runs beside it", async () => {
    const fake = new TintBridge(sampleRows())
    await openProject(fake, use)
    const jobs = useJobsStore()
    fake.emit('job:progress', { jobId: 'thumbnails-1', kind: 'thumbnails', phase: 'making thumbnails', done: 1, total: 9, rate: 0, etaSeconds: null })
    expect(jobs.current).toBeNull()
    expect(jobs.background?.jobId).toBe('thumbnails-1')

    fake.emit('job:progress', { jobId: 'train-2', kind: 'train', phase: 'train', done: 1, total: 10, rate: 1, etaSeconds: 9 })
    expect(jobs.current?.jobId).toBe('train-2')
    expect(jobs.background?.jobId).toBe('thumbnails-1')

    fake.emit('job:ended', { jobId: 'train-2', kind: 'train', status: 'done' })
    fake.emit('job:ended', { jobId: 'thumbnails-1', kind: 'thumbnails', status: 'cancelled' })
    // The training's outcome stays what the status bar reports; the thumbnail job's end is not an outcome.
    expect(jobs.lastEnded).toEqual({ jobId: 'train-2', kind: 'train', status: 'done' })
    expect(jobs.background).toBeNull()
    expect(fake.calls.filter((c) => c.name === 'images:tints')).toHaveLength(1)
  })
})
