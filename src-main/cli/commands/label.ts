import { Project, type LabelChange } from '../../core/dataset/project.ts'
import { TagsmithError } from '../../core/errors.ts'
import { json, parseCommandArgs, type CliCommand } from '../command.ts'
import { requestInput } from '../request-input.ts'

export const command: CliCommand = {
  help: `Usage: tagsmith label <project> <image-path> <label>=0|1 ... [--json]

Sets labels of one image as one undoable edit. The image path is as written in the CSV
or normalised ('/' separators, without './').

  --json   print the recorded edit group {"group","at","changes"}
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' } })
    const [file, imagePath, ...assignments] = positionals
    if (file === undefined || imagePath === undefined || assignments.length === 0) {
      throw new TagsmithError('BAD_INPUT', 'usage: tagsmith label <project> <image-path> <label>=0|1 ...')
    }
    const project = Project.open(file)
    try {
      const image = project.findImage(imagePath)
      if (!image) throw new TagsmithError('BAD_INPUT', `no image ${JSON.stringify(imagePath)} in ${project.file}`)
      const labels = project.labels()
      const changes: LabelChange[] = assignments.map((a) => {
        const match = /^(.+)=([01])$/.exec(a)
        if (!match?.[1] || !match[2]) throw new TagsmithError('BAD_INPUT', `expected <label>=0|1, got ${JSON.stringify(a)}`)
        if (!labels.includes(match[1])) {
          throw new TagsmithError('BAD_INPUT', `unknown label ${JSON.stringify(match[1])} (labels: ${labels.join(', ')})`)
        }
        return { imageId: image.id, label: match[1], value: match[2] === '1' ? 1 : 0 }
      })
      const sources = Object.fromEntries(assignments.map((text, i) => [`changes.${i}`, { option: 'label', text }]))
      const group = project.edits.setLabels(requestInput('labels:set', { changes }, sources).changes)
      if (values.json) io.out(json(group))
      else if (group.changes.length === 0) io.out(`${image.path}: no change\n`)
      else io.out(`${image.path}: ${group.changes.map((c) => `${c.label} ${c.old ?? 'empty'} -> ${c.new}`).join(', ')}\n`)
      return 0
    } finally {
      project.close()
    }
  },
}
