// Accumulates ONNX nodes and constants with unique names, and remembers the shape of every value it
// creates (channels-first, batch left out) so later passes can count work without a shape inferencer.
import type { OnnxAttribute, OnnxGraph, OnnxNode, OnnxTensor, OnnxValueInfo } from './onnx-proto.ts'

export class GraphBuilder {
  readonly nodes: OnnxNode[] = []
  readonly initializers: OnnxTensor[] = []
  /** value name -> shape without the batch dimension: [C, H, W] for images, [D] for vectors */
  readonly shapes = new Map<string, number[]>()
  private readonly used = new Set<string>()

  /** A name not yet taken, derived from `base` (layer names are kept when free). */
  fresh(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_./:-]/g, '_') || 'v'
    let name = clean
    for (let i = 1; this.used.has(name); i++) name = `${clean}_${i}`
    this.used.add(name)
    return name
  }

  constant(base: string, dims: number[], data: Float32Array | BigInt64Array): string {
    const name = this.fresh(base)
    this.initializers.push({ name, dims, data })
    return name
  }

  scalar(base: string, value: number): string {
    return this.constant(base, [], Float32Array.of(value))
  }

  int64s(base: string, values: number[]): string {
    return this.constant(base, [values.length], BigInt64Array.from(values.map((v) => BigInt(v))))
  }

  /** Adds one node with one output named after `outBase`; returns that output's name. */
  op(opType: string, inputs: string[], outBase: string, shape: number[], attributes: OnnxAttribute[] = []): string {
    return this.opNamed(opType, inputs, this.fresh(outBase), shape, attributes)
  }

  /** Like op(), with an exact output name taken earlier with fresh() (a graph output's public name). */
  opNamed(opType: string, inputs: string[], output: string, shape: number[], attributes: OnnxAttribute[] = []): string {
    if (!this.used.has(output) || this.shapes.has(output)) throw new Error(`graph: output name '${output}' was not reserved or is taken`)
    this.nodes.push({ opType, name: output, inputs, outputs: [output], attributes })
    this.shapes.set(output, shape)
    return output
  }

  toGraph(name: string, inputs: OnnxValueInfo[], outputs: OnnxValueInfo[]): OnnxGraph {
    return { name, nodes: this.nodes, initializers: this.initializers, inputs, outputs }
  }
}

export const ints = (name: string, value: number[]): OnnxAttribute => ({ name, type: 'ints', value })
export const int = (name: string, value: number): OnnxAttribute => ({ name, type: 'int', value })
export const float = (name: string, value: number): OnnxAttribute => ({ name, type: 'float', value })
