// Reads a Keras/TF.js topology (functional or sequential) into one flat, ordered list of layers, each
// naming the layers it reads from. Layers shared between several calls are refused: the backbones we
// convert call every layer once.
import { TagsmithError } from '../../errors.ts'
import { asRecord, type LayerSpec, type LayersSource } from './layers-source.ts'

export interface LayerNode {
  name: string
  className: string
  config: Record<string, unknown>
  /** names of the layers whose outputs this layer reads, in order */
  inputs: string[]
}

export interface Topology {
  /** every layer in an order where producers come before consumers */
  layers: LayerNode[]
  byName: Map<string, LayerNode>
  input: LayerNode
  /** [height, width, channels] of one input image, or null where the model leaves a size open */
  inputShape: [number | null, number | null, number]
  /** the layers whose outputs are the model's own outputs */
  outputs: string[]
}

export function readTopology(source: LayersSource): Topology {
  const { class_name: className, config } = source.topology
  const nodes = className === 'Sequential' ? readSequential(config) : readFunctional(config)
  const byName = new Map<string, LayerNode>()
  for (const n of nodes) {
    if (byName.has(n.name)) throw new TagsmithError('BAD_INPUT', `model topology: two layers are named '${n.name}'`)
    byName.set(n.name, n)
  }
  for (const n of nodes) {
    for (const i of n.inputs) {
      if (!byName.has(i)) throw new TagsmithError('BAD_INPUT', `model topology: layer '${n.name}' reads unknown layer '${i}'`)
    }
  }
  const inputs = nodes.filter((n) => n.className === 'InputLayer')
  const input = inputs[0]
  if (!input || inputs.length > 1) {
    throw new TagsmithError('BAD_INPUT', `model topology: expected one input layer, found ${inputs.length}`)
  }
  const outputs = className === 'Sequential' ? [nodes[nodes.length - 1]?.name ?? input.name] : outputLayers(config)
  return { layers: sortTopologically(nodes, byName), byName, input, inputShape: imageShapeOf(input), outputs }
}

function outputLayers(config: unknown): string[] {
  const list = asRecord(config, 'model topology config').output_layers
  if (!Array.isArray(list)) throw new TagsmithError('BAD_INPUT', 'model topology: config.output_layers is missing')
  return list.map((entry) => {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string') {
      throw new TagsmithError('BAD_INPUT', `model topology: malformed output ${JSON.stringify(entry)}`)
    }
    return entry[0]
  })
}

function readFunctional(config: unknown): LayerNode[] {
  const layers = asRecord(config, 'model topology config').layers
  if (!Array.isArray(layers)) throw new TagsmithError('BAD_INPUT', 'model topology: config.layers is missing')
  return layers.map((raw, index) => {
    const spec = raw as LayerSpec
    const layerConfig = asRecord(spec.config, `model topology layer #${index}`)
    const name = String(spec.name ?? layerConfig.name)
    const calls = spec.inbound_nodes ?? []
    if (calls.length > 1) {
      throw new TagsmithError('BAD_INPUT', `model topology: layer '${name}' is called ${calls.length} times; shared layers are not supported`)
    }
    const inputs = calls.length === 0 ? [] : inboundNames(name, calls[0])
    return { name, className: spec.class_name, config: layerConfig, inputs }
  })
}

function inboundNames(layerName: string, call: unknown): string[] {
  if (!Array.isArray(call)) {
    throw new TagsmithError('BAD_INPUT', `model topology: layer '${layerName}' has inbound nodes in an unsupported (non-Keras-2) form`)
  }
  return call.map((entry) => {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string') {
      throw new TagsmithError('BAD_INPUT', `model topology: layer '${layerName}' has a malformed inbound node ${JSON.stringify(entry)}`)
    }
    if (entry[1] !== 0 || entry[2] !== 0) {
      throw new TagsmithError('BAD_INPUT', `model topology: layer '${layerName}' reads a second call or output of '${entry[0]}'; not supported`)
    }
    return entry[0]
  })
}

function readSequential(config: unknown): LayerNode[] {
  const list = Array.isArray(config) ? config : asRecord(config, 'model topology config').layers
  if (!Array.isArray(list)) throw new TagsmithError('BAD_INPUT', 'model topology: sequential model without layers')
  const nodes: LayerNode[] = []
  list.forEach((raw, index) => {
    const spec = raw as LayerSpec
    const layerConfig = asRecord(spec.config, `model topology layer #${index}`)
    const name = String(spec.name ?? layerConfig.name)
    if (index === 0 && spec.class_name !== 'InputLayer') {
      // A sequential model declares its input size on its first layer.
      const shape = layerConfig.batch_input_shape ?? layerConfig.batchInputShape
      if (!Array.isArray(shape)) throw new TagsmithError('BAD_INPUT', `model topology: first layer '${name}' has no batch_input_shape`)
      nodes.push({ name: `${name}_input`, className: 'InputLayer', config: { batch_input_shape: shape }, inputs: [] })
    }
    const previous = nodes[nodes.length - 1]
    nodes.push({ name, className: spec.class_name, config: layerConfig, inputs: previous ? [previous.name] : [] })
  })
  return nodes
}

function imageShapeOf(input: LayerNode): [number | null, number | null, number] {
  const shape = input.config.batch_input_shape ?? input.config.batchInputShape
  if (!Array.isArray(shape) || shape.length !== 4) {
    throw new TagsmithError('BAD_INPUT', `model topology: input '${input.name}' must be an image batch [batch, height, width, channels], got ${JSON.stringify(shape)}`)
  }
  const [, h, w, c] = shape as unknown[]
  if (typeof c !== 'number') throw new TagsmithError('BAD_INPUT', `model topology: input '${input.name}' has no channel count`)
  return [typeof h === 'number' ? h : null, typeof w === 'number' ? w : null, c]
}

function sortTopologically(nodes: LayerNode[], byName: Map<string, LayerNode>): LayerNode[] {
  const out: LayerNode[] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const visit = (n: LayerNode): void => {
    const s = state.get(n.name)
    if (s === 'done') return
    if (s === 'visiting') throw new TagsmithError('BAD_INPUT', `model topology: cycle through layer '${n.name}'`)
    state.set(n.name, 'visiting')
    for (const i of n.inputs) {
      const producer = byName.get(i)
      if (producer) visit(producer)
    }
    state.set(n.name, 'done')
    out.push(n)
  }
  // Iterative outer loop keeps recursion depth to one chain; backbones are a few hundred layers deep at most.
  for (const n of nodes) visit(n)
  return out
}
