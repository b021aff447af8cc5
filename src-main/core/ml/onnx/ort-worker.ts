// A worker thread that owns an ONNX Runtime session. onnxruntime-node runs a session synchronously on
// the thread that calls it, so inference on the main thread would stall its event loop, and with it the
// image decoding that should overlap. engine.ts starts it (built: out/main/ort-worker.js).
import { parentPort, workerData } from 'node:worker_threads'
import * as ort from 'onnxruntime-node'
import type { OrtWorkerData, OrtWorkerReply, OrtWorkerRequest } from './ort-worker-messages.ts'

if (!parentPort) throw new Error('ort-worker runs as a worker thread')
const port = parentPort
const { model, options } = workerData as OrtWorkerData
let session: ort.InferenceSession | null = null

const reply = (msg: OrtWorkerReply, transfer: ArrayBuffer[] = []): void => port.postMessage(msg, transfer)
const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err))

async function open(): Promise<void> {
  try {
    session = typeof model === 'string' ? await ort.InferenceSession.create(model, options) : await ort.InferenceSession.create(model, options)
    reply({ type: 'ready' })
  } catch (err) {
    reply({ type: 'failed', message: messageOf(err) })
  }
}

async function handle(msg: OrtWorkerRequest): Promise<void> {
  if (msg.type === 'close') {
    await session?.release()
    session = null
    port.close()
    return
  }
  try {
    if (!session) throw new Error('the session is not open')
    const feeds = { [msg.inputName]: new ort.Tensor('float32', msg.pixels, msg.dims) }
    for (const e of msg.extra ?? []) feeds[e.name] = new ort.Tensor('float32', e.data, e.dims)
    const out = await session.run(feeds, [msg.outputName])
    const t = out[msg.outputName]
    if (!t) throw new Error(`the model gave no '${msg.outputName}' output`)
    const data = new Float32Array(t.data as Float32Array)
    reply({ type: 'result', id: msg.id, data }, [data.buffer])
  } catch (err) {
    reply({ type: 'error', id: msg.id, message: messageOf(err) })
  }
}

port.on('message', (msg: OrtWorkerRequest) => void handle(msg))
void open()
