import type { ModelCard } from './model-card.ts'

// The two human-facing files of an exported model folder: README.md and a runnable predict.mjs.

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
each feature map average-pooled and joined, then ${headText(card)}. The feature
standardisation learnt in training is folded into the first Dense layer, so there are no custom layers.

## Files

- \`model.json\`, ${weightFiles.map((f) => `\`${f}\``).join(', ')}: the model. Load it with
  \`tf.loadLayersModel('<url>/model.json')\` in a browser, or from these files in Node (see \`predict.mjs\`).
- \`tagsmith.json\`: label order, thresholds, label groups, input preprocessing, backbone, training settings,
  validation metrics, the hash of the labels it was trained on, and the check this export passed.
- \`predict.mjs\`: a runnable example: \`npm install @tensorflow/tfjs sharp\`, then
  \`node predict.mjs photo1.jpg photo2.jpg [--json]\`.
${onnxFileLine(card)}

## Input

A batch of RGB images, NHWC, shape \`[n, ${size}, ${size}, 3]\`, float32. Per image: apply the EXIF
orientation, flatten transparency onto white, convert to sRGB, resize to ${size}×${size} (\`${resize}\`:
${resize === 'fill' ? 'squash the whole image, aspect ratio not kept' : resize === 'cover' ? 'scale the short side and crop the centre' : 'scale the long side and pad with white'}), then per channel
\`(byte / 255 - mean[c]) / std[c]\` with mean ${JSON.stringify(normalisation.mean)} and std ${JSON.stringify(normalisation.std)}.

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
${card.onnx ? onnxSection(size, card.labels.length) : ''}`
}

function onnxFileLine(card: ModelCard): string {
  if (card.onnx) return '- `model.onnx`: the same classifier as one ONNX file (opset 17, float32); see "ONNX" below.'
  return card.onnxSkipped ? `- No \`model.onnx\`: ${card.onnxSkipped}.` : ''
}

const onnxSection = (size: number, labels: number): string => `
## ONNX

\`model.onnx\` is the same pipeline for ONNX Runtime or any ONNX tool: input \`input\`, float32
\`[n, ${size}, ${size}, 3]\` (NHWC) holding **byte / 255** per RGB channel, after the same orientation,
flattening and resize as above; the mean/std normalisation is inside the graph. Outputs:
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

// model.json and its weight files from this folder. In a browser: tf.loadLayersModel('<url>/model.json').
async function loadModel() {
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'))
  const weightSpecs = json.weightsManifest.flatMap((group) => group.weights)
  const bytes = Buffer.concat(json.weightsManifest.flatMap((group) => group.paths).map((p) => fs.readFileSync(path.join(dir, p))))
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
  return tf.loadLayersModel({ load: async () => ({ modelTopology: json.modelTopology, weightSpecs, weightData }) })
}

// The model's input: EXIF orientation applied, transparency on white, sRGB, resized as tagsmith.json
// says, then (byte / 255 - mean[c]) / std[c] per RGB channel.
async function pixels(file) {
  const { size, resize, normalisation } = card.input
  const white = { r: 255, g: 255, b: 255 }
  const rgb = await sharp(file, { page: 0, pages: 1 })
    .autoOrient()
    .resize(size, size, { fit: resize, position: 'centre', background: white })
    .flatten({ background: white })
    .toColourspace('srgb')
    .removeAlpha()
    .raw()
    .toBuffer()
  const out = new Float32Array(size * size * 3)
  for (let i = 0; i < out.length; i++) {
    const c = i % 3
    out[i] = (rgb[i] / 255 - normalisation.mean[c]) / normalisation.std[c]
  }
  return out
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
  const size = card.input.size
  const x = tf.tensor4d(await pixels(file), [1, size, size, 3])
  const y = model.predict(x)
  const probs = Array.from(await y.data())
  tf.dispose([x, y])
  results.push({ file, labels: decide(probs), probs: Object.fromEntries(card.labels.map((label, j) => [label, probs[j]])) })
}
if (asJson) console.log(JSON.stringify(results))
else for (const r of results) console.log(\`\${r.file}: \${r.labels.join(', ') || '(no label)'}\`)
`
