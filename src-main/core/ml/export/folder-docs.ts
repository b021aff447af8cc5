import type { ModelCard, ModelInputCard } from './model-card.ts'

// The human-facing files of an exported model folder: README.md and a runnable predict.mjs (which
// imports colour-statistics.mjs when the model takes colour statistics).

export const README_FILE = 'README.md'
export const EXAMPLE_FILE = 'predict.mjs'

function pct(v: number | undefined): string {
  return v === undefined ? '–' : `${(100 * v).toFixed(1)} %`
}

function headText(card: ModelCard): string {
  const hidden = card.head?.hidden
  return hidden ? `a Dense layer of ${hidden.units} ReLU units and a Dense layer with a sigmoid (${card.head?.shape ?? ''})` : 'one Dense layer with a sigmoid'
}

export function readmeText(card: ModelCard, weightFiles: readonly string[]): string {
  const { size, resize, normalisation } = card.input
  const v = card.metrics.validation
  const at = card.metrics.validationAtThresholds
  const rows = card.labels.map((l, j) => `| ${l} | ${(card.thresholds[j] ?? 0.5).toFixed(3)} |`)
  return `# ${card.labels.length}-label image classifier (Tagsmith run ${card.training.runId})

Exported by Tagsmith ${card.app.version} on ${card.exportedAt}. The whole pipeline is one
TensorFlow.js layers model: the ${card.backbone.name} backbone cut at ${card.backbone.featureLayers.join(', ')},
each feature map average-pooled and joined${partsText(card)}, then ${headText(card)}. The feature
standardisation learnt in training is folded into the first Dense layer, so there are no custom layers.

## Files

- \`model.json\`, ${weightFiles.map((f) => `\`${f}\``).join(', ')}: the model. Load it with
  \`tf.loadLayersModel('<url>/model.json')\` in a browser, or from these files in Node (see \`predict.mjs\`).
- \`tagsmith.json\`: label order, thresholds, label groups, input preprocessing, backbone, training settings,
  validation metrics, the hash of the labels it was trained on, and the check this export passed.
- \`predict.mjs\`: a runnable example: \`npm install @tensorflow/tfjs sharp\`, then
  \`node predict.mjs photo1.jpg photo2.jpg [--json]\`.
${colourFileLine(card)}${onnxFileLine(card)}

## Input

${card.inputs && card.inputs.length > 1 ? inputsText(card.inputs) : `A batch of RGB images, NHWC, shape \`[n, ${size}, ${size}, 3]\`, float32. Per image: ${decodeText(size, resize)}, then per channel
\`(byte / 255 - mean[c]) / std[c]\` with mean ${JSON.stringify(normalisation.mean)} and std ${JSON.stringify(normalisation.std)}.`}

## Output

\`[n, ${card.labels.length}]\` probabilities, one per label in the order of \`labels\` in \`tagsmith.json\`.
A label holds when its probability reaches its threshold, except in a group, where exactly the most
probable label of the group holds.

| label | threshold |
| --- | --- |
${rows.join('\n')}

${card.groups.length > 0 ? `Groups (one label each): ${card.groups.map((g) => g.join(', ')).join('; ')}.` : 'No label groups.'}

## Quality

On ${v.n} validation images: exact match (every label right) ${pct(v.exactMatch)} at thresholds 0.5${
    typeof v.exactMatchGrouped === 'number' ? `, ${pct(v.exactMatchGrouped)} with groups` : ''
  }${at ? `; at the thresholds above ${pct(at.exactMatch)}${at.exactMatchGrouped !== undefined ? `, ${pct(at.exactMatchGrouped)} with groups` : ''}` : ''}.

This folder was checked when written: reloaded, it gave the same probabilities as Tagsmith on
${card.check.images} images (largest difference ${(card.check.maxAbsDiff ?? Number.NaN).toExponential(2)}${
    card.onnx ? `; \`model.onnx\` with ONNX Runtime ${card.onnx.check.maxAbsDiff.toExponential(2)}` : ''
  }).
${card.onnx ? onnxSection(size, card.labels.length, card) : ''}`
}

function decodeText(size: number, resize: string): string {
  const how = resize === 'fill' ? 'squash the whole image, aspect ratio not kept' : resize === 'cover' ? 'scale the short side and crop the centre' : 'scale the long side and pad with white'
  return `apply the EXIF orientation, flatten transparency onto white, convert to sRGB, resize to ${size}×${size} (\`${resize}\`:
${how})`
}

/** What the joined features hold after the backbone's taps. */
function partsText(card: ModelCard): string {
  const parts = (card.inputs ?? []).slice(1).map((i) => (i.kind === 'colour' ? `colour statistics ("${i.design.name}", the \`${i.name}\` input)` : `the taps of ${i.backbone} on the \`${i.name}\` input`))
  return parts.length > 0 ? ` with ${parts.join(' and ')}` : ''
}

function inputsText(inputs: readonly ModelInputCard[]): string {
  const lines = inputs.map((i) =>
    i.kind === 'image'
      ? `- \`${i.name}\`: RGB images, NHWC, \`[n, ${i.size}, ${i.size}, 3]\`, float32. Per image: ${decodeText(i.size, i.resize)}, then per
  channel \`(byte / 255 - mean[c]) / std[c]\` with mean ${JSON.stringify(i.normalisation.mean)} and std ${JSON.stringify(i.normalisation.std)}.`
      : `- \`${i.name}\`: colour statistics, \`[n, ${i.shape[1]}]\`, float32: \`computeColourStatistics(rgb, size, design.parameters)\` of
  \`${i.module}\`, where \`rgb\` is the decoded bytes of the \`${i.from}\` input (after the resize, before normalisation) and the design
  ("${i.design.name}", version ${i.design.version}) is this input's entry in \`tagsmith.json\`.`,
  )
  return `The model takes ${inputs.length} inputs, in this order (\`inputs\` in \`tagsmith.json\`), all from the same image:

${lines.join('\n')}`
}

function colourFileLine(card: ModelCard): string {
  const colour = card.inputs?.find((i) => i.kind === 'colour')
  return colour ? `- \`${colour.module}\`: the colour statistics Tagsmith computes, as an ES module; \`predict.mjs\` computes the \`${colour.name}\` input with it.\n` : ''
}

function onnxFileLine(card: ModelCard): string {
  if (card.onnx) return '- `model.onnx`: the same classifier as one ONNX file (opset 17, float32); see "ONNX" below.'
  return card.onnxSkipped ? `- No \`model.onnx\`: ${card.onnxSkipped}.` : ''
}

function onnxInputsText(card: ModelCard): string {
  const names = card.onnx?.inputs ?? []
  if (names.length < 2) return ''
  const described = new Map((card.inputs ?? []).map((i) => [i.name, i]))
  const lines = names.map(({ name, for: of }) => {
    const i = described.get(of)
    return i?.kind === 'colour' ? `\`${name}\` (the \`${of}\` input as above, \`[n, ${i.shape[1]}]\`)` : `\`${name}\` (the \`${of}\` image as byte / 255)`
  })
  return ` The graph takes ${names.length} inputs, in this order: ${lines.join(', ')}.`
}

const onnxSection = (size: number, labels: number, card: ModelCard): string => `
## ONNX

\`model.onnx\` is the same pipeline for ONNX Runtime or any ONNX tool: input \`input\`, float32
\`[n, ${size}, ${size}, 3]\` (NHWC) holding **byte / 255** per RGB channel, after the same orientation,
flattening and resize as above; the mean/std normalisation is inside the graph.${onnxInputsText(card)} Outputs:
\`probabilities\` \`[n, ${labels}]\` (and \`logits\`). The file's metadata holds \`labels\`, \`thresholds\`,
\`groups\`, \`resize\` and \`input\` as JSON strings. In Node: \`npm install onnxruntime-node\`, then
\`InferenceSession.create('model.onnx')\` and \`session.run({ input: new Tensor('float32', pixels, [n, ${size}, ${size}, 3]) })\`.
`

export const EXAMPLE_SOURCE = `// Labels for images, from this exported Tagsmith model folder alone.
// Usage: node predict.mjs <image>... [--json]
// Needs Node 20+ and: npm install @tensorflow/tfjs sharp   (sharp 0.34 or later)
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as tf from '@tensorflow/tfjs'
import sharp from 'sharp'

const dir = path.dirname(fileURLToPath(import.meta.url))
const card = JSON.parse(fs.readFileSync(path.join(dir, 'tagsmith.json'), 'utf8'))
// Every input of model.json, in its order (folders from before composite features have one image input).
const inputs = card.inputs ?? [{ name: 'input', kind: 'image', shape: [null, card.input.size, card.input.size, 3], ...card.input }]
// Colour statistics, when the model takes them: Tagsmith's own function, shipped beside this file.
const colour = inputs.some((input) => input.kind === 'colour') ? await import('./colour-statistics.mjs') : null

// model.json and its weight files from this folder. In a browser: tf.loadLayersModel('<url>/model.json').
async function loadModel() {
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'))
  const weightSpecs = json.weightsManifest.flatMap((group) => group.weights)
  const bytes = Buffer.concat(json.weightsManifest.flatMap((group) => group.paths).map((p) => fs.readFileSync(path.join(dir, p))))
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
  return tf.loadLayersModel({ load: async () => ({ modelTopology: json.modelTopology, weightSpecs, weightData }) })
}

// An image input's bytes: EXIF orientation applied, transparency on white, sRGB, resized as tagsmith.json says.
async function decode(file, { size, resize }) {
  const white = { r: 255, g: 255, b: 255 }
  return sharp(file, { page: 0, pages: 1 })
    .autoOrient()
    .resize(size, size, { fit: resize, position: 'centre', background: white })
    .flatten({ background: white })
    .toColourspace('srgb')
    .removeAlpha()
    .raw()
    .toBuffer()
}

// One tensor per model input: images as (byte / 255 - mean[c]) / std[c] per RGB channel; the colour
// statistics from the bytes of the image input they name, before normalisation.
async function modelInputs(file) {
  const bytes = new Map()
  for (const input of inputs) if (input.kind === 'image') bytes.set(input.name, await decode(file, input))
  return inputs.map((input) => {
    if (input.kind === 'colour') {
      const from = inputs.find((i) => i.name === input.from)
      const values = colour.computeColourStatistics(bytes.get(input.from), from.size, input.design.parameters)
      return tf.tensor2d(values, [1, values.length])
    }
    const rgb = bytes.get(input.name)
    const { mean, std } = input.normalisation
    const out = new Float32Array(rgb.length)
    for (let i = 0; i < out.length; i++) out[i] = (rgb[i] / 255 - mean[i % 3]) / std[i % 3]
    return tf.tensor4d(out, [1, input.size, input.size, 3])
  })
}

// Thresholds per label; in a group, only the most probable label holds.
function decide(probs) {
  const on = probs.map((p, j) => p >= card.thresholds[j])
  for (const group of card.groups) {
    const columns = group.map((label) => card.labels.indexOf(label))
    let best = columns[0]
    for (const j of columns) if (probs[j] > probs[best]) best = j
    for (const j of columns) on[j] = j === best
  }
  return card.labels.filter((_, j) => on[j])
}

const args = process.argv.slice(2)
const asJson = args.includes('--json')
const files = args.filter((a) => a !== '--json')
if (files.length === 0) {
  console.error('usage: node predict.mjs <image>... [--json]')
  process.exit(2)
}
await tf.setBackend('cpu')
const model = await loadModel()
const results = []
for (const file of files) {
  const xs = await modelInputs(file)
  const y = model.predict(xs)
  const probs = Array.from(await y.data())
  tf.dispose([...xs, y])
  results.push({ file, labels: decide(probs), probs: Object.fromEntries(card.labels.map((label, j) => [label, probs[j]])) })
}
if (asJson) console.log(JSON.stringify(results))
else for (const r of results) console.log(\`\${r.file}: \${r.labels.join(', ') || '(no label)'}\`)
`
