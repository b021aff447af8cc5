import { createPinia, setActivePinia } from 'pinia'
import { useProjectStore } from '../../../src-renderer/stores/project.ts'
import type { FakeBridge } from './fake-bridge.ts'

/** A fresh Pinia with the fake's project open and its rows loaded, as the app has after start-up. */
export async function openProject(fake: FakeBridge, use: (b: FakeBridge) => void): Promise<void> {
  use(fake)
  setActivePinia(createPinia())
  const project = useProjectStore()
  await project.start()
  if (project.error !== null) throw new Error(`start failed: ${project.error.message}`)
}
