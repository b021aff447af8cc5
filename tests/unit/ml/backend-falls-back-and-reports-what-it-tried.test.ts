import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { initBackend } from '../../../src-main/core/ml/backend.ts'
import { tf } from '../../../src-main/core/ml/tf.ts'

const installed = (name: string): boolean => {
  try {
    createRequire(import.meta.url).resolve(name)
    return true
  } catch {
    return false
  }
}

describe('backend selection', () => {
  it.skipIf(installed('@tensorflow/tfjs-node'))('skips a native backend that is not installed, says why, and takes the next', async () => {
    const info = await initBackend({ only: ['tensorflow', 'wasm'] })
    expect(info.backend).toBe('wasm')
    expect(tf.getBackend()).toBe('wasm')
    expect(info.device).toMatch(/WASM/)
    expect(info.tried).toHaveLength(1)
    expect(info.tried[0]?.name).toBe('tensorflow')
    expect(info.tried[0]?.error).toMatch(/tfjs-node/)
  })

  it('falls through to plain JavaScript', async () => {
    const info = await initBackend({ only: ['cpu'] })
    expect(info).toEqual({ backend: 'cpu', device: 'CPU (JavaScript)', tried: [] })
  })

  it('fails with UNAVAILABLE, listing every attempt, when nothing works', async () => {
    await expect(initBackend({ only: ['tensorflow-gpu'] })).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/tensorflow-gpu:/) })
  })
})
