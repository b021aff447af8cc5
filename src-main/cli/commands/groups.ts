import { Project } from '../../core/dataset/project.ts'
import { TagsmithError } from '../../core/errors.ts'
import { GROUPS_SETTING, setProjectGroups } from '../../core/ml/label-groups.ts'
import { parseCommandArgs, type CliCommand } from '../command.ts'
import { requestInput } from '../request-input.ts'

export const command: CliCommand = {
  help: `Usage: tagsmith groups <project> ["A,B,C" ...] [--clear] [--json]

Declares groups of labels of which exactly one holds (e.g. one colour, one garment): predictions and
evaluation decode each group to its most probable label instead of thresholds. The groups given
replace the project's groups; with none given, prints them.

  --clear   remove every group
  --json    print {"groups":[["A","B","C"],...]}
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { clear: { type: 'boolean' }, json: { type: 'boolean' } })
    const [file, ...specs] = positionals
    if (file === undefined) throw new TagsmithError('BAD_INPUT', 'give a project file, then the groups ("A,B,C" ...)')
    if (values.clear && specs.length > 0) throw new TagsmithError('BAD_INPUT', 'give groups or --clear, not both')
    const groups = specs.map((spec) =>
      spec
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    const sources = Object.fromEntries(specs.map((text, i) => [`groups.${i}`, { option: `group ${i + 1}`, text }]))
    requestInput('groups:set', { groups }, sources)
    const project = Project.open(file)
    try {
      if (values.clear || groups.length > 0) setProjectGroups(project, groups)
      const now = project.getSetting<string[][]>(GROUPS_SETTING) ?? []
      if (values.json) io.out(`${JSON.stringify({ groups: now })}\n`)
      else io.out(now.length === 0 ? 'no groups\n' : `${now.map((g, i) => `group ${i + 1}: ${g.join(', ')}`).join('\n')}\n`)
      return 0
    } finally {
      project.close()
    }
  },
}
