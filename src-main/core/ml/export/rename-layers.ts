import { TagsmithError } from '../../errors.ts'
import type { tf } from '../tf.ts'

// Two Keras models in one TF.js graph must not share a layer name (InceptionV3 and MobileNetV2 both
// start at `input_1` and end at `dense_3`), and their weights are matched to layers by name when the
// joined model loads. So a model is renamed in its saved form, topology and weight names together,
// before it is loaded.

interface KerasLayer {
  name: string
  class_name: string
  config: { name?: string } & Record<string, unknown>
  inbound_nodes: unknown[]
}

interface KerasModelConfig {
  layers: KerasLayer[]
  input_layers: Array<[string, number, number]>
  output_layers: Array<[string, number, number]>
}

/** The layers, inputs and outputs of a functional model, saved by Keras (`model_config`) or by TF.js; null for others (Sequential). */
function functionalConfig(topology: unknown): KerasModelConfig | null {
  const t = topology as { model_config?: { config?: Partial<KerasModelConfig> }; config?: Partial<KerasModelConfig> } | undefined
  const config = t?.model_config?.config ?? t?.config
  if (!config || !Array.isArray(config.layers) || !Array.isArray(config.input_layers) || !Array.isArray(config.output_layers)) return null
  return config as KerasModelConfig
}

function modelConfigOf(topology: unknown): KerasModelConfig {
  const config = functionalConfig(topology)
  if (!config) throw new TagsmithError('UNAVAILABLE', 'only a functional model (layers, inputs and outputs named) can be joined with another')
  return config
}

/** Whether renameLayers can take the model: a functional one. */
export function canRenameLayers(artifacts: tf.io.ModelArtifacts): boolean {
  return functionalConfig(artifacts.modelTopology) !== null
}

/** Inbound nodes name their inputs as [layer, node, tensor, kwargs] (deeper in nested lists). */
function renameInbound(node: unknown, rename: (name: string) => string): unknown {
  if (!Array.isArray(node)) return node
  if (typeof node[0] === 'string' && typeof node[1] === 'number') return [rename(node[0]), ...node.slice(1)]
  return node.map((n) => renameInbound(n, rename))
}

/**
 * The artifacts with every layer renamed by `rename` (a one-to-one map), in the topology and in the
 * weight names (`layer/weight`). Weight data is shared, not copied.
 */
export function renameLayers(artifacts: tf.io.ModelArtifacts, rename: (name: string) => string): tf.io.ModelArtifacts {
  const topology = JSON.parse(JSON.stringify(artifacts.modelTopology)) as unknown
  const config = modelConfigOf(topology)
  const names = new Map<string, string>()
  for (const layer of config.layers) names.set(layer.name, rename(layer.name))
  if (new Set(names.values()).size !== names.size) throw new TagsmithError('INTERNAL', 'renaming the layers of a joined model gave two layers one name')
  const to = (name: string): string => names.get(name) ?? name
  for (const layer of config.layers) {
    layer.name = to(layer.name)
    if (typeof layer.config.name === 'string') layer.config.name = to(layer.config.name)
    layer.inbound_nodes = layer.inbound_nodes.map((n) => renameInbound(n, to))
  }
  config.input_layers = config.input_layers.map(([name, ...rest]) => [to(name), ...rest])
  config.output_layers = config.output_layers.map(([name, ...rest]) => [to(name), ...rest])
  const weightSpecs = (artifacts.weightSpecs ?? []).map((w) => {
    const at = w.name.indexOf('/')
    const layer = at < 0 ? w.name : w.name.slice(0, at)
    return names.has(layer) ? { ...w, name: `${to(layer)}${w.name.slice(layer.length)}` } : w
  })
  return { ...artifacts, modelTopology: topology as tf.io.ModelArtifacts['modelTopology'], weightSpecs }
}

/** The name of a model's one input layer, from its saved topology. */
export function inputLayerName(artifacts: tf.io.ModelArtifacts): string {
  const inputs = modelConfigOf(artifacts.modelTopology).input_layers
  if (inputs.length !== 1) throw new TagsmithError('UNAVAILABLE', `a backbone with ${inputs.length} inputs cannot be exported`)
  return (inputs[0] as [string, number, number])[0]
}
