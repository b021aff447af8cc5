import { describe, expect, it, vi } from 'vitest'
import type { TagsmithApi } from '../../../src-preload/contract.ts'
import { useImagesStore } from '../../../src-renderer/stores/images.ts'
import { useLabelsStore } from '../../../src-renderer/stores/labels.ts'
import { APPAREL, FakeBridge, sampleRows } from './fake-bridge.ts'
import { openProject } from './open-sample.ts'

const bridge = vi.hoisted(() => ({ current: undefined as TagsmithApi | undefined }))
vi.mock('../../../src-renderer/bridge.ts', () => ({ getBridge: () => bridge.current }))
const use = (b: FakeBridge): void => void (bridge.current = b)

const SHOES = APPAREL.indexOf('shoes')

describe('saved indicator', () => {
  it('shows "saving" while labels:set is pending and "saved" only after it resolved', async () => {
    const fake = new FakeBridge(sampleRows())
    await openProject(fake, use)
    const labels = useLabelsStore()
    const images = useImagesStore()
    expect(labels.saveState).toBe('idle')

    fake.holdEdits = true
    const first = labels.toggle(1, 'shoes')
    const second = labels.toggle(2, 'shoes')
    // The toggle shows at once, but nothing is committed yet.
    expect(images.row(1)?.labels[SHOES]).toBe(1)
    expect(fake.value(1, 'shoes')).toBe(0)
    expect(labels.saveState).toBe('saving')

    fake.release()
    await first
    await second
    expect(fake.value(1, 'shoes')).toBe(1)
    expect(labels.saveState).toBe('saved')
  })

  it('a refused edit shows the error and puts the row back', async () => {
    const fake = new FakeBridge(sampleRows())
    await openProject(fake, use)
    const labels = useLabelsStore()
    const invoke = fake.invoke.bind(fake)
    fake.invoke = ((name, input) =>
      name === 'labels:set'
        ? Promise.reject({ code: 'CONFLICT', message: 'project file is read-only' })
        : invoke(name, input)) as FakeBridge['invoke']

    expect(await labels.toggle(1, 'shoes')).toBe(false)
    expect(labels.saveState).toBe('error')
    expect(labels.error).toEqual({ code: 'CONFLICT', message: 'project file is read-only' })
    expect(useImagesStore().row(1)?.labels[SHOES]).toBe(0)
  })
})
