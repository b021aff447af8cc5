// Plain objects for the parts of an ONNX model we write, and their protobuf encoding.
// Field numbers follow onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto,
// ValueInfoProto, TypeProto, TensorShapeProto, OperatorSetIdProto, StringStringEntryProto).
import { ProtoWriter } from './protobuf.ts'

/** IR version 8 pairs with opset 17 (ONNX 1.12), which every onnxruntime since 1.12 reads. */
export const IR_VERSION = 8
export const OPSET_VERSION = 17

export const DataType = { FLOAT: 1, INT64: 7 } as const

export interface OnnxTensor {
  name: string
  dims: number[]
  /** float32 or int64 values, stored as raw little-endian bytes */
  data: Float32Array | BigInt64Array
}

export type OnnxAttribute =
  | { name: string; type: 'int'; value: number }
  | { name: string; type: 'float'; value: number }
  | { name: string; type: 'ints'; value: number[] }
  | { name: string; type: 'string'; value: string }

export interface OnnxNode {
  opType: string
  name: string
  inputs: string[]
  outputs: string[]
  attributes?: OnnxAttribute[]
}

/** A graph input or output: float32 with a shape whose dims are numbers or symbolic names. */
export interface OnnxValueInfo {
  name: string
  shape: (number | string)[]
}

export interface OnnxGraph {
  name: string
  nodes: OnnxNode[]
  initializers: OnnxTensor[]
  inputs: OnnxValueInfo[]
  outputs: OnnxValueInfo[]
}

export interface OnnxModel {
  graph: OnnxGraph
  producerName: string
  producerVersion: string
  /** key/value pairs stored in the file (label order, preprocessing, ...) */
  metadata?: Record<string, string>
}

const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, ints: 7 } as const

export function encodeModel(model: OnnxModel): Uint8Array {
  const w = new ProtoWriter()
  w.int(1, IR_VERSION)
  w.string(2, model.producerName)
  w.string(3, model.producerVersion)
  w.message(7, encodeGraph(model.graph))
  w.message(8, new ProtoWriter().string(1, '').int(2, OPSET_VERSION))
  for (const [key, value] of Object.entries(model.metadata ?? {})) {
    w.message(14, new ProtoWriter().string(1, key).string(2, value))
  }
  return w.finish()
}

function encodeGraph(g: OnnxGraph): ProtoWriter {
  const w = new ProtoWriter()
  for (const n of g.nodes) w.message(1, encodeNode(n))
  w.string(2, g.name)
  for (const t of g.initializers) w.message(5, encodeTensor(t))
  for (const v of g.inputs) w.message(11, encodeValueInfo(v))
  for (const v of g.outputs) w.message(12, encodeValueInfo(v))
  return w
}

function encodeNode(n: OnnxNode): ProtoWriter {
  const w = new ProtoWriter()
  for (const i of n.inputs) w.string(1, i)
  for (const o of n.outputs) w.string(2, o)
  w.string(3, n.name)
  w.string(4, n.opType)
  for (const a of n.attributes ?? []) w.message(5, encodeAttribute(a))
  return w
}

function encodeAttribute(a: OnnxAttribute): ProtoWriter {
  const w = new ProtoWriter()
  w.string(1, a.name)
  w.int(20, ATTRIBUTE_TYPE[a.type])
  switch (a.type) {
    case 'float':
      w.float(2, a.value)
      break
    case 'int':
      w.int(3, a.value)
      break
    case 'string':
      w.string(4, a.value)
      break
    case 'ints':
      w.packedInts(8, a.value)
      break
  }
  return w
}

function encodeTensor(t: OnnxTensor): ProtoWriter {
  const w = new ProtoWriter()
  w.packedInts(1, t.dims)
  w.int(2, t.data instanceof Float32Array ? DataType.FLOAT : DataType.INT64)
  w.string(8, t.name)
  w.bytes(9, littleEndianBytes(t.data))
  return w
}

function encodeValueInfo(v: OnnxValueInfo): ProtoWriter {
  const shape = new ProtoWriter()
  for (const d of v.shape) {
    shape.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d))
  }
  const tensorType = new ProtoWriter().int(1, DataType.FLOAT).message(2, shape)
  const type = new ProtoWriter().message(1, tensorType)
  return new ProtoWriter().string(1, v.name).message(2, type)
}

function littleEndianBytes(data: Float32Array | BigInt64Array): Uint8Array {
  const out = new Uint8Array(data.byteLength)
  const view = new DataView(out.buffer)
  if (data instanceof Float32Array) {
    for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i] as number, true)
  } else {
    for (let i = 0; i < data.length; i++) view.setBigInt64(i * 8, data[i] as bigint, true)
  }
  return out
}
