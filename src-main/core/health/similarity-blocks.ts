// Products of feature blocks (a: m × d, row-major, times bt: d × n, row-major -> m × n), the inner
// loop of the near-duplicate search. ONNX Runtime's MatMul runs them in this process on every core;
// a plain loop serves tiny inputs, where opening a session costs more than the arithmetic.
import { defaultThreads, sessionOptions } from '../ml/onnx/engine.ts'
import { encodeModel } from '../ml/onnx/onnx-proto.ts'

export interface BlockProducts {
  readonly name: 'onnx' | 'loop'
  /** a: m × d, bt: d × n (both row-major); s: m × n, and each row's largest value when the engine has it */
  product(a: Float32Array, m: number, bt: Float32Array, n: number, d: number): Promise<{ s: Float32Array; rowMax: Float32Array | null }>
  dispose(): Promise<void>
}

/** Plain loops: for tiny inputs and as the reference the ONNX engine is tested against. */
export function loopProducts(): BlockProducts {
  return {
    name: 'loop',
    async product(a, m, bt, n, d) {
      const out = new Float32Array(m * n)
      for (let i = 0; i < m; i++) {
        const row = i * n
        for (let k = 0; k < d; k++) {
          const v = a[i * d + k] ?? 0
          if (v === 0) continue
          const src = k * n
          for (let j = 0; j < n; j++) out[row + j] = (out[row + j] ?? 0) + v * (bt[src + j] ?? 0)
        }
      }
      return { s: out, rowMax: null }
    },
    async dispose() {},
  }
}

/**
 * One MatMul node with symbolic sizes (the same session serves every block shape), and each row's
 * maximum, so the caller reads only the rows that hold a pair above its threshold.
 */
export async function onnxProducts(threads = defaultThreads()): Promise<BlockProducts> {
  // Loaded on first use: the native runtime stays out of processes that never search.
  const ort = await import('onnxruntime-node')
  const model = encodeModel({
    producerName: 'tagsmith',
    producerVersion: '1',
    graph: {
      name: 'similarity',
      nodes: [
        { opType: 'MatMul', name: 'product', inputs: ['a', 'bt'], outputs: ['s'] },
        {
          opType: 'ReduceMax',
          name: 'row_max',
          inputs: ['s'],
          outputs: ['row_max'],
          attributes: [
            { name: 'axes', type: 'ints', value: [1] },
            { name: 'keepdims', type: 'int', value: 0 },
          ],
        },
      ],
      initializers: [],
      inputs: [
        { name: 'a', shape: ['m', 'd'] },
        { name: 'bt', shape: ['d', 'n'] },
      ],
      outputs: [
        { name: 's', shape: ['m', 'n'] },
        { name: 'row_max', shape: ['m'] },
      ],
    },
  })
  const session = await ort.InferenceSession.create(model, sessionOptions(threads))
  return {
    name: 'onnx',
    async product(a, m, bt, n, d) {
      const result = await session.run({ a: new ort.Tensor('float32', a, [m, d]), bt: new ort.Tensor('float32', bt, [d, n]) })
      const s = result.s?.data
      const rowMax = result.row_max?.data
      if (!(s instanceof Float32Array) || !(rowMax instanceof Float32Array)) throw new Error('the similarity model gave no float output')
      return { s, rowMax }
    },
    async dispose() {
      await session.release()
    },
  }
}
