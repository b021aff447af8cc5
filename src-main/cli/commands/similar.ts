import { TagsmithError } from '../../core/errors.ts'
import { MAX_SIMILAR_TOP, SimilarityIndex, similarImages } from '../../core/health/similar-images.ts'
import { getRun } from '../../core/ml/runs.ts'
import { json, parseCommandArgs, type CliCommand } from '../command.ts'
import { givenOptions, numberText, requestInput } from '../request-input.ts'
import { openFileProject } from '../store-option.ts'

const DEFAULT_TOP = 20

export const command: CliCommand = {
  help: `Usage: tagsmith similar <project> <image-path> [--top N] [--run N] [--json]

The images most like one image: cosine similarity of the cached features of a run's backbone or preset
(default: the latest run; before any run, the default backbone's, if extracted), most similar first, the
image itself first. The image path is as written in the CSV, or relative to the dataset folder. Images
without cached features are left out and counted; an image without features is refused, naming it.

  --top N    the N images listed, the image itself included (default ${DEFAULT_TOP}, at most ${MAX_SIMILAR_TOP})
  --run N    compare the features of this stored run
  --json     print an array of {"image","similarity"}; "image" is the path as written in the CSV
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { top: { type: 'string' }, run: { type: 'string' }, json: { type: 'boolean' } })
    const [file, imagePath, ...rest] = positionals
    if (file === undefined || imagePath === undefined || rest.length > 0) throw new TagsmithError('BAD_INPUT', 'give a project file and one image path')
    const project = openFileProject(file, 'similar')
    try {
      const image = project.findImage(imagePath)
      if (!image) throw new TagsmithError('BAD_INPUT', `no image ${JSON.stringify(imagePath)} in ${project.file}`)
      const input = { imageId: image.id, runId: numberText(values.run), top: numberText(values.top) ?? DEFAULT_TOP }
      const { runId, top } = requestInput('images:similar', input, givenOptions(values, { runId: 'run', top: 'top' }))
      // The app falls back to the latest run when its active run is gone; a run named here must exist.
      if (runId !== undefined) getRun(project.db, runId)
      const answer = similarImages(project, new SimilarityIndex(), { imageId: image.id, runId, top })
      const paths = new Map(project.imagesByIds(answer.items.map((i) => i.id)).map((r) => [r.id, r.path]))
      const items = answer.items.map((i) => ({ image: paths.get(i.id) ?? `#${i.id}`, similarity: Number(i.similarity.toFixed(6)) }))
      if (values.json) {
        io.out(json(items))
        return 0
      }
      const source = answer.runId === null ? `${answer.features} (no run yet)` : `${answer.features}, run ${answer.runId}`
      const lines = [
        `Images most like ${image.path} by the features of ${source}` +
          (answer.missing > 0 ? `; ${answer.missing} image${answer.missing === 1 ? '' : 's'} without features left out` : ''),
        '',
        `${'similarity'.padStart(10)}  image`,
        ...items.map((i) => `${i.similarity.toFixed(4).padStart(10)}  ${i.image}`),
      ]
      io.out(`${lines.join('\n')}\n`)
      return 0
    } finally {
      project.close()
    }
  },
}
