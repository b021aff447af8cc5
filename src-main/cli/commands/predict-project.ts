import fs from 'node:fs'
import path from 'node:path'
import type { TryAnswer } from '../../../src-preload/contract.ts'
import { openTryModel, type TryOutcome } from '../../core/ml/try-model.ts'
import { tryAnswer, tryRunOf, trySetup } from '../../core/ml/try-answer.ts'
import { json, type CliIO } from '../command.ts'
import { openFileProject } from '../store-option.ts'

// `tagsmith predict <project> --run N <image>...`: a stored run labels images from anywhere on disk, as the
// Try panel does (same features, thresholds, groups and decisions: core/ml/try-answer.ts), in this process.

export interface ProjectPredictOptions {
  runId?: number
  json?: boolean
  cacheDir?: string
}

/** One line per image in text; --json an array of {file, labels, probs, thresholds, timings} or {file, error}. */
export async function predictWithProject(file: string, images: readonly string[], opts: ProjectPredictOptions, io: CliIO): Promise<number> {
  const project = openFileProject(file, 'predict')
  let answer: TryAnswer
  try {
    const setup = trySetup(project, opts.runId)
    const model = await openTryModel(tryRunOf(setup.run), { cacheDir: opts.cacheDir })
    try {
      const results: TryOutcome[] = []
      for (const image of images) results.push(await tryFile(model.predict, image))
      answer = tryAnswer(setup, true, { engine: model.engine, cold: true, loadMs: model.loadMs, results })
    } finally {
      model.dispose()
    }
  } finally {
    project.close()
  }
  const rows = answer.results.map((r) => {
    if ('error' in r) return { file: r.name, error: r.error.message }
    return {
      file: r.name,
      labels: answer.labels.filter((_, j) => r.decision[j] === 1),
      probs: Object.fromEntries(answer.labels.map((l, j) => [l, r.probs[j] ?? 0])),
      thresholds: Object.fromEntries(answer.labels.map((l, j) => [l, answer.thresholds[j] ?? 0.5])),
      timings: r.timings,
    }
  })
  if (opts.json) io.out(json(rows))
  else {
    io.out(`run ${answer.runId}${answer.groups.length > 0 ? `, groups decided by their most probable label` : ''}\n`)
    for (const r of rows) io.out('error' in r ? `${r.file}: cannot read: ${r.error}\n` : `${r.file}: ${r.labels.join(', ') || '(no label)'}\n`)
  }
  const failed = rows.filter((r) => 'error' in r).length
  if (failed > 0) io.err(`tagsmith predict: ${failed} of ${rows.length} images could not be read\n`)
  return failed > 0 ? 2 : 0
}

/** The file's bytes through the model; a file that cannot be read answers its own error, as a bad image does. */
async function tryFile(predict: (name: string, bytes: Uint8Array) => Promise<TryOutcome>, file: string): Promise<TryOutcome> {
  let bytes: Buffer
  try {
    bytes = fs.readFileSync(file)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'not a regular file' : `cannot read file (${code ?? String(err)})`
    return { name: file, error: { code: 'BAD_INPUT', message: `${file}: ${why}` } }
  }
  return predict(file, bytes)
}

/** Whether the first argument names a project file rather than an exported model folder. */
export function isProjectFile(arg: string): boolean {
  try {
    return fs.statSync(arg).isFile() && path.extname(arg) !== '.json'
  } catch {
    return false
  }
}
