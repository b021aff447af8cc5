// Multiply-accumulates per image of a converted graph, read from its Conv and Gemm nodes: the work a
// CPU cannot avoid, to set measured speed against the machine's peak.
import type { OnnxModel } from './onnx-proto.ts'

export interface MacCount {
  /** multiply-accumulates per image (1 MAC = 2 FLOPs) */
  macs: number
  byOp: Record<string, number>
}

/** `shapes`: output shape of each value without the batch dimension, as the converter recorded it. */
export function countMacs(model: OnnxModel, shapes: ReadonlyMap<string, number[]>): MacCount {
  const dims = new Map(model.graph.initializers.map((t) => [t.name, t.dims]))
  const byOp: Record<string, number> = {}
  let macs = 0
  for (const node of model.graph.nodes) {
    let m = 0
    if (node.opType === 'Conv') {
      // weight [out, in / group, kh, kw]; every output value costs in/group * kh * kw MACs
      const w = dims.get(node.inputs[1] ?? '')
      const out = shapes.get(node.outputs[0] ?? '')
      if (!w || !out) continue
      const [, inPerGroup = 0, kh = 0, kw = 0] = w
      m = out.reduce((a, b) => a * b, 1) * inPerGroup * kh * kw
    } else if (node.opType === 'Gemm' || node.opType === 'MatMul') {
      const w = dims.get(node.inputs[1] ?? '')
      if (!w) continue
      m = w.reduce((a, b) => a * b, 1)
    }
    if (m > 0) {
      byOp[node.opType] = (byOp[node.opType] ?? 0) + m
      macs += m
    }
  }
  return { macs, byOp }
}
