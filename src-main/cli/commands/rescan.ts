import { rescanProject } from '../../core/dataset/rescan.ts'
import { TagsmithError } from '../../core/errors.ts'
import { json, parseCommandArgs, type CliCommand } from '../command.ts'
import { onProjectStep, STORE_HELP, STORE_OPTIONS, storeLocation } from '../store-option.ts'

export const command: CliCommand = {
  help: `Usage: tagsmith rescan <project> [--json]
       tagsmith rescan --store URL|FILE [--json]

Looks at every row's image file again: files gone are marked missing, files back are read again. Lists
the image files in the images folder that no row names; add them with tagsmith add <project> <file>...
On a team store (PostgreSQL) other writers wait until the rescan is done; readers do not.

${STORE_HELP}
  --json   print {"missing","back","new"} (new: absolute paths)
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' }, ...STORE_OPTIONS })
    const [file, ...rest] = positionals
    const location = storeLocation(file, values.store)
    if (location === undefined || rest.length > 0) throw new TagsmithError('BAD_INPUT', 'give exactly one project file')
    const report = await onProjectStep(location, 'rescan', (project) => rescanProject(project))
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
  },
}
