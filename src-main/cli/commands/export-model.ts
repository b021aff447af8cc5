import { phaseProgress } from '../../../src-shared/job-phases.ts'
import { TagsmithError } from '../../core/errors.ts'
import { exportModel } from '../../core/jobs/export-model.ts'
import { packageVersion } from '../../server/package-root.ts'
import { json, parseCommandArgs, type CliCommand } from '../command.ts'
import { givenOptions, numberText, requestInput } from '../request-input.ts'
import { openFileProject } from '../store-option.ts'

export const command: CliCommand = {
  help: `Usage: tagsmith export-model <project> --out DIR [--run ID] [--no-onnx] [--json]

Writes a trained run (default: the latest) as a folder: model.json and weight files of the whole
pipeline (backbone cut, pooling, standardisation folded into the Dense head, sigmoid), loadable with
tf.loadLayersModel in Node and the browser; tagsmith.json (labels, thresholds, groups, input size and
normalisation, backbone, training settings, metrics, label snapshot hash, app version); README.md; and
predict.mjs, a runnable example; and model.onnx, the same classifier as one ONNX file taking byte / 255
(labels, thresholds, groups and preprocessing in its metadata). Before the folder takes its name, the
written models are reloaded (TF.js, and ONNX Runtime for model.onnx) and their probabilities compared
with the app's on 16 images; a difference of 1e-4 or more in either fails the export.

  --out DIR   the folder to write (new, empty, or an earlier export, which is replaced)
  --run ID    a stored run (default: the latest)
  --no-onnx   write the TF.js model only
  --json      print {"out","files":[...],"maxAbsDiff","onnx":{"file","maxAbsDiff"}|null}
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      out: { type: 'string' },
      run: { type: 'string' },
      'cache-dir': { type: 'string' },
      'no-onnx': { type: 'boolean' },
      json: { type: 'boolean' },
    })
    const [file, ...rest] = positionals
    if (file === undefined || rest.length > 0) throw new TagsmithError('BAD_INPUT', 'give exactly one project file')
    if (!values.out) throw new TagsmithError('BAD_INPUT', '--out: give the folder to write')
    const input = { runId: numberText(values.run), outDir: values.out }
    const { runId, outDir } = requestInput('model:export', input, givenOptions(values, { runId: 'run', outDir: 'out' }))
    const abort = new AbortController()
    const onSigint = (): void => abort.abort()
    process.once('SIGINT', onSigint)
    const project = openFileProject(file, 'export-model')
    try {
      const started = performance.now()
      const result = await exportModel(project, {
        runId,
        outDir,
        appVersion: packageVersion(),
        cacheDir: values['cache-dir'],
        onnx: !values['no-onnx'],
        signal: abort.signal,
        onProgress: (p) => {
          if (!values.json && io.interactive) io.err(`\r${phaseProgress(p)}        `)
        },
      })
      if (!values.json && io.interactive) io.err('\n')
      if (values.json) io.out(json({ out: result.out, files: result.files, maxAbsDiff: result.maxAbsDiff, onnx: result.onnx }))
      else {
        const seconds = ((performance.now() - started) / 1000).toFixed(1)
        const onnx = result.onnx ? `${result.onnx.file} (ONNX Runtime): largest difference ${result.onnx.maxAbsDiff.toExponential(2)}` : 'no ONNX file written'
        io.out(`exported to ${result.out} in ${seconds} s: ${result.files.join(', ')}\nchecked: largest difference from the app ${result.maxAbsDiff.toExponential(2)} (TF.js); ${onnx}\n`)
      }
      return 0
    } finally {
      process.off('SIGINT', onSigint)
      project.close()
    }
  },
}
