import { afterEach, describe, expect, it } from 'vitest'
import { TagsmithError } from '../../../src-main/core/errors.ts'
import { ENGINE_PREFERENCE, listEngines, pickEngine, type EngineProbe } from '../../../src-main/core/ml/onnx/engines.ts'

const yes: EngineProbe = async () => ({ available: true, reason: 'present' })
const no = (why: string): EngineProbe => async () => ({ available: false, reason: why })

afterEach(() => {
  delete process.env.TAGSMITH_ENGINE
})

describe('engine selection', () => {
  it('lists every engine, fastest first, each with a reason; ONNX Runtime works on this machine', async () => {
    const engines = await listEngines()
    expect(engines.map((e) => e.name)).toEqual(['onnx', 'tfjs-node', 'wasm', 'cpu'])
    for (const e of engines) expect(e.reason.length).toBeGreaterThan(5)
    const onnx = engines.find((e) => e.name === 'onnx')
    expect(onnx).toMatchObject({ available: true })
    expect(onnx?.reason).toMatch(/ONNX Runtime \d+\.\d+/)
    expect(engines.find((e) => e.name === 'cpu')?.available).toBe(true)
  })

  it('picks the fastest available engine by default', async () => {
    expect(ENGINE_PREFERENCE[0]).toBe('onnx')
    expect((await pickEngine()).chosen.name).toBe('onnx')
    const { chosen } = await pickEngine(undefined, { onnx: no('binary missing'), 'tfjs-node': no('not installed'), wasm: yes })
    expect(chosen.name).toBe('wasm')
    const native = await pickEngine(undefined, { onnx: no('binary missing'), 'tfjs-node': yes })
    expect(native.chosen.name).toBe('tfjs-node')
  })

  it('honours an override that works, and refuses one that does not with its reason', async () => {
    expect((await pickEngine('cpu')).chosen.name).toBe('cpu')
    const refused = pickEngine('tfjs-node', { 'tfjs-node': no('needs the optional package @tensorflow/tfjs-node') })
    await expect(refused).rejects.toThrow(TagsmithError)
    await expect(pickEngine('tfjs-node', { 'tfjs-node': no('needs the optional package @tensorflow/tfjs-node') })).rejects.toThrow(
      /engine 'tfjs-node' is not available here: needs the optional package/,
    )
    await expect(pickEngine('turbo')).rejects.toThrow(/unknown engine 'turbo'/)
  })

  it('takes the override from TAGSMITH_ENGINE', async () => {
    process.env.TAGSMITH_ENGINE = 'wasm'
    expect((await pickEngine(undefined, { wasm: yes })).chosen.name).toBe('wasm')
  })

  it('reports a probe that throws as unavailable instead of failing the listing', async () => {
    const engines = await listEngines({
      wasm: async () => {
        throw new Error('wasm file unreadable')
      },
    })
    expect(engines.find((e) => e.name === 'wasm')).toEqual({ name: 'wasm', available: false, reason: 'wasm file unreadable' })
  })
})
