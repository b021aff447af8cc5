// Source of the worker thread that owns an ONNX Runtime session. onnxruntime-node runs a session
// synchronously on the calling thread, so inference on the main thread would stall the event loop
// and with it the image decoding that should overlap. The worker is plain CommonJS JavaScript run
// with `eval: true`, so it needs no build step of its own; it loads onnxruntime-node from the path
// the parent resolved.
export const ORT_WORKER_SOURCE = `
'use strict'
const { parentPort, workerData } = require('node:worker_threads')
const ort = require(workerData.ortPath)
let session = null

async function start() {
  try {
    session = await ort.InferenceSession.create(workerData.model, workerData.options)
    parentPort.postMessage({ type: 'ready', inputNames: session.inputNames, outputNames: session.outputNames })
  } catch (err) {
    parentPort.postMessage({ type: 'failed', message: String(err && err.message || err) })
  }
}

parentPort.on('message', async (msg) => {
  if (msg.type === 'close') {
    if (session) await session.release()
    session = null
    parentPort.close()
    return
  }
  try {
    const feeds = {}
    feeds[msg.inputName] = new ort.Tensor('float32', msg.pixels, msg.dims)
    const out = await session.run(feeds, [msg.outputName])
    const t = out[msg.outputName]
    const data = new Float32Array(t.data)
    parentPort.postMessage({ type: 'result', id: msg.id, data }, [data.buffer])
  } catch (err) {
    parentPort.postMessage({ type: 'error', id: msg.id, message: String(err && err.message || err) })
  }
})

start()
`
