import { describe, expect, it, vi } from 'vitest'
import type { TagsmithApi } from '../../../src-preload/contract.ts'
import { useImagesStore } from '../../../src-renderer/stores/images.ts'
import { FakeBridge, sampleRows } from './fake-bridge.ts'
import { openProject } from './open-sample.ts'

const bridge = vi.hoisted(() => ({ current: undefined as TagsmithApi | undefined }))
vi.mock('../../../src-renderer/bridge.ts', () => ({ getBridge: () => bridge.current }))
const use = (b: FakeBridge): void => void (bridge.current = b)

describe('image addresses', () => {
  it("thumbnails carry the row's hash8 (cacheable for good); originals do not (revalidated)", async () => {
    const fake = new FakeBridge(sampleRows())
    await openProject(fake, use)
    const images = useImagesStore()
    expect(images.thumbUrl(3)).toBe('/img/thumb/3?v=00000003')
    expect(images.fullUrl(3)).toBe('/img/full/3')
    // A row without a readable file has no hash: its address asks the server every time.
    const row = images.row(3)
    if (row === undefined) throw new Error('row 3 missing')
    images.patch([{ ...row, hash8: null }])
    expect(images.thumbUrl(3)).toBe('/img/thumb/3')
  })
})
