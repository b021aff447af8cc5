// Trying a run on images from outside the project (the Try panel, `tagsmith predict <project> --run N`).
import type { WireError } from './jobs.ts'

/** An image to try: its file name (for messages) and its encoded bytes (JPEG, PNG, WebP, …) in base64. */
export interface TryFile {
  name: string
  bytesBase64: string
}

/** Milliseconds spent on one image: decoding, features (every part of the run's features), the head. */
export interface TryTimings {
  decode: number
  features: number
  head: number
}

/** One image labelled: a probability and a decision (1 or 0) per label of the run, in its label order. */
export interface TriedImage {
  name: string
  probs: number[]
  decision: Array<0 | 1>
  timings: TryTimings
}

/** An image that could not be labelled (not an image, damaged, too large, a decompression bomb). */
export interface TryFailure {
  name: string
  error: WireError
}

/** The answer: the decision rule used, then one result per file in the order given. */
export interface TryAnswer {
  runId: number
  /** the run's label order */
  labels: string[]
  /** the run's current thresholds (tuned or set), one per label */
  thresholds: number[]
  /** the groups decided by their most probable label when `decodeGroups` (the project's declared groups) */
  groups: string[][]
  decodeGroups: boolean
  /** the engine the backbone ran on ('onnx', 'tfjs-node', 'wasm', 'cpu') */
  engine: string
  /** whether the run's model was loaded for this request, and how long that took (ms; 0 when warm) */
  cold: boolean
  loadMs: number
  results: Array<TriedImage | TryFailure>
}
