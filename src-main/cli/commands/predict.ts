import { TagsmithError } from '../../core/errors.ts'
import { initBackend } from '../../core/ml/backend.ts'
import { loadExportedModel, predictFiles } from '../../core/ml/export/exported-model.ts'
import { json, parseCommandArgs, type CliCommand } from '../command.ts'

export const command: CliCommand = {
  help: `Usage: tagsmith predict <model-dir> <image>... [--json]

Labels images with an exported model folder (tagsmith export-model), using nothing but that folder:
tagsmith.json for the input size, normalisation, label order, thresholds and groups, and the model files.

  --json   print [{"file","labels":[...],"probs":{label:probability}}, ...]; an unreadable image
           gives {"file","error"} and exit code 2 after the others are printed
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' } })
    const [dir, ...images] = positionals
    if (dir === undefined || images.length === 0) throw new TagsmithError('BAD_INPUT', 'give a model folder, then one or more images')
    await initBackend()
    const model = await loadExportedModel(dir)
    try {
      const results = await predictFiles(model, images)
      const labels = model.card.labels
      const shaped = results.map((r) =>
        'error' in r ? { file: r.file, error: r.error } : { file: r.file, labels: r.labels, probs: Object.fromEntries(labels.map((l, j) => [l, r.probs[j] ?? 0])) },
      )
      if (values.json) io.out(json(shaped))
      else for (const r of shaped) io.out('error' in r ? `${r.file}: cannot read: ${r.error}\n` : `${r.file}: ${r.labels.join(', ') || '(no label)'}\n`)
      const failed = shaped.filter((r) => 'error' in r).length
      if (failed > 0) io.err(`tagsmith predict: ${failed} of ${shaped.length} images could not be read\n`)
      return failed > 0 ? 2 : 0
    } finally {
      model.dispose()
    }
  },
}
