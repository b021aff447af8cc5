// What engine.ts and the ONNX Runtime worker thread (ort-worker.ts) send each other.
import type { InferenceSession } from 'onnxruntime-node'

export interface OrtWorkerData {
  /** .onnx file path, or its bytes */
  model: string | Uint8Array
  options: InferenceSession.SessionOptions
}

export type OrtWorkerRequest =
  /** `pixels` moves to the worker (transferred, not copied) */
  | { type: 'run'; id: number; pixels: Float32Array; dims: number[]; inputName: string; outputName: string; extra?: Array<{ name: string; data: Float32Array; dims: number[] }> }
  | { type: 'close' }

export type OrtWorkerReply =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'result'; id: number; data: Float32Array }
  | { type: 'error'; id: number; message: string }
