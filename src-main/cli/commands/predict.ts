import { TagsmithError } from '../../core/errors.ts'
import { openModelFolder } from '../../core/ml/export/model-folder.ts'
import { json, parseCommandArgs, type CliCommand } from '../command.ts'
import { runIdOption } from '../request-input.ts'
import { isProjectFile, predictWithProject } from './predict-project.ts'

export const command: CliCommand = {
  help: `Usage: tagsmith predict <model-dir> <image>... [--engine onnx|tfjs] [--json]
       tagsmith predict <project> [--run N] <image>... [--json]

Labels images with an exported model folder (tagsmith export-model), using nothing but that folder:
tagsmith.json for the input size, normalisation, label order, thresholds and groups, and the model files.
By default model.onnx runs with ONNX Runtime when the folder has it (faster), else model.json with TF.js.

  --engine E   onnx (model.onnx, ONNX Runtime) or tfjs (model.json, TF.js)
  --json       print [{"file","engine","labels":[...],"probs":{label:probability}}, ...]; an unreadable
               image gives {"file","error"} and exit code 2 after the others are printed

With a project file instead, a stored run (default: the latest) labels the images as the app's Try panel
does: the run's current thresholds, the project's groups decided by their most probable label. Images
may be anywhere on disk and are not added to the project; each is at most 40 MB and 100 megapixels.

  --run N      a stored run (default: the latest)
  --json       print [{"file","labels":[...],"probs":{label:p},"thresholds":{label:t},
               "timings":{"decode","features","head"}}, ...] (ms); an unreadable image gives {"file","error"}
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      engine: { type: 'string' },
      json: { type: 'boolean' },
      run: { type: 'string' },
      'cache-dir': { type: 'string' },
    })
    const [dir, ...images] = positionals
    if (dir !== undefined && isProjectFile(dir)) {
      if (images.length === 0) throw new TagsmithError('BAD_INPUT', 'give a project file, then one or more images')
      if (values.engine !== undefined) throw new TagsmithError('BAD_INPUT', '--engine is for an exported model folder; a project runs its backbone as training does')
      return predictWithProject(dir, images, { runId: runIdOption(values.run), json: values.json, cacheDir: values['cache-dir'] }, io)
    }
    if (values.run !== undefined) throw new TagsmithError('BAD_INPUT', `--run names a run of a project: ${dir ?? 'the first argument'} is not a project file`)
    if (dir === undefined || images.length === 0) throw new TagsmithError('BAD_INPUT', 'give a model folder, then one or more images')
    const model = await openModelFolder(dir, values.engine)
    try {
      const results = await model.predict(images)
      const labels = model.card.labels
      const shaped = results.map((r) =>
        'error' in r ? { file: r.file, error: r.error } : { file: r.file, engine: model.engine, labels: r.labels, probs: Object.fromEntries(labels.map((l, j) => [l, r.probs[j] ?? 0])) },
      )
      if (values.json) io.out(json(shaped))
      else {
        io.out(`engine: ${model.engine === 'onnx' ? 'ONNX Runtime (model.onnx)' : 'TF.js (model.json)'}\n`)
        for (const r of shaped) io.out('error' in r ? `${r.file}: cannot read: ${r.error}\n` : `${r.file}: ${r.labels.join(', ') || '(no label)'}\n`)
      }
      const failed = shaped.filter((r) => 'error' in r).length
      if (failed > 0) io.err(`tagsmith predict: ${failed} of ${shaped.length} images could not be read\n`)
      return failed > 0 ? 2 : 0
    } finally {
      await model.dispose()
    }
  },
}
