import { rescanProject } from '../../core/dataset/rescan.ts'
import { TagsmithError } from '../../core/errors.ts'
import { json, parseCommandArgs, type CliCommand } from '../command.ts'
import { openProjectFile } from '../store-option.ts'

export const command: CliCommand = {
  help: `Usage: tagsmith rescan <project> [--json]

Looks at every row's image file again: files gone are marked missing, files back are read again. Lists
the image files in the images folder that no row names; add them with tagsmith add <project> <file>...

  --json   print {"missing","back","new"} (new: absolute paths)
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' } })
    const [file, ...rest] = positionals
    if (file === undefined || rest.length > 0) throw new TagsmithError('BAD_INPUT', 'give exactly one project file')
    const project = openProjectFile(file, 'rescanning')
    try {
      const report = await rescanProject(project)
      if (values.json) {
        io.out(json(report))
        return 0
      }
      const lines = [
        `${report.missing} newly missing, ${report.back} found again`,
        `${report.new.length} image file${report.new.length === 1 ? '' : 's'} not in the project${report.new.length > 0 ? ':' : ''}`,
        ...report.new.map((p) => `  ${p}`),
      ]
      io.out(`${lines.join('\n')}\n`)
      return 0
    } finally {
      project.close()
    }
  },
}
