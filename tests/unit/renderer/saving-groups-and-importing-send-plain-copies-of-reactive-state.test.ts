import { describe, expect, it, vi } from 'vitest'
import { isProxy, ref } from 'vue'
import type { TagsmithApi } from '../../../src-preload/contract.ts'
import { useProjectStore } from '../../../src-renderer/stores/project.ts'
import { FakeBridge, sampleRows } from './fake-bridge.ts'
import { openProject } from './open-sample.ts'

const bridge = vi.hoisted(() => ({ current: undefined as TagsmithApi | undefined }))
vi.mock('../../../src-renderer/bridge.ts', () => ({ getBridge: () => bridge.current }))
const use = (b: FakeBridge): void => void (bridge.current = b)

describe('requests built from reactive state', () => {
  it('the fake bridge refuses a reactive payload as the real bridge does', async () => {
    const fake = new FakeBridge(sampleRows())
    await openProject(fake, use)
    const draft = ref([['red', 'blue']])
    await expect(fake.invoke('groups:set', { groups: draft.value })).rejects.toMatchObject({ code: 'BAD_INPUT' })
    expect(fake.takeRefused().map((e) => e.message)).toEqual([expect.stringMatching(/^groups:set: .*could not be cloned/)])
    expect(fake.callsOf('groups:set')).toEqual([])
  })

  it('saving groups from the dialog state (a ref of arrays) reaches the bridge as plain arrays', async () => {
    const fake = new FakeBridge(sampleRows())
    await openProject(fake, use)
    const project = useProjectStore()
    // As GroupsDialog holds and saves its draft: a ref, edited by replacing arrays, empty groups left out.
    const draft = ref<string[][]>([['red', 'blue']])
    draft.value = [...draft.value, ['dress', 'shirt'], []]
    const toSave = draft.value.filter((g) => g.length > 0)
    expect(isProxy(toSave[0])).toBe(true) // what Electron could not clone

    expect(await project.setGroups(toSave)).toBe(true)
    expect(project.error).toBeNull()
    const sent = fake.callsOf('groups:set') as Array<{ groups: string[][] }>
    expect(sent).toEqual([{ groups: [['red', 'blue'], ['dress', 'shirt']] }])
    expect(fake.takeRefused()).toEqual([])
    expect(project.info?.groups).toEqual([['red', 'blue'], ['dress', 'shirt']])
  })

  it('an import sends a plain copy of the CSV list it was given', async () => {
    const fake = new FakeBridge(sampleRows())
    await openProject(fake, use)
    const csvs = ref(['a.csv', 'b.csv'])
    await useProjectStore().importCsvs({ csvs: csvs.value, imagesDir: 'imgs' })
    expect(fake.takeRefused()).toEqual([])
    expect(fake.callsOf('project:import')).toEqual([{ csvs: ['a.csv', 'b.csv'], imagesDir: 'imgs' }])
  })
})
