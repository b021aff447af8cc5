import type { GroupSuggestions } from '../../../src-preload/contract.ts'
import { suggestionLine, suggestionRule } from '../../../src-shared/group-suggestion-text.ts'
import { Project } from '../../core/dataset/project.ts'
import { TagsmithError } from '../../core/errors.ts'
import { suggestGroups, withSuggestions } from '../../core/ml/group-suggestions.ts'
import { GROUPS_SETTING, setProjectGroups } from '../../core/ml/label-groups.ts'
import { parseCommandArgs, type CliCommand } from '../command.ts'
import { requestInput } from '../request-input.ts'

export const command: CliCommand = {
  help: `Usage: tagsmith groups <project> ["A,B,C" ...] [--clear] [--json]
       tagsmith groups <project> --suggest [--apply] [--json]

Declares groups of labels of which exactly one holds (e.g. one colour, one garment): predictions and
evaluation decode each group to its most probable label instead of thresholds. The groups given
replace the project's groups; with none given, prints them.

  --clear     remove every group
  --suggest   print the groups the labels suggest: every maximal set of labels of which exactly one
              is set on each image with all of the set's cells filled, with those images' count and
              how many break it (up to 1 % may, for label errors; at least 50 images needed). Sets
              overlapping a declared group are left out.
  --apply     with --suggest: declare the suggestions too, beside the groups already declared
  --json      print {"groups":[["A","B","C"],...]}; with --suggest also "suggestions" (each
              {"labels","support","violations"}), "tolerance" and "minSupport"
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      clear: { type: 'boolean' },
      suggest: { type: 'boolean' },
      apply: { type: 'boolean' },
      json: { type: 'boolean' },
    })
    const [file, ...specs] = positionals
    if (file === undefined) throw new TagsmithError('BAD_INPUT', 'give a project file, then the groups ("A,B,C" ...)')
    if (values.clear && specs.length > 0) throw new TagsmithError('BAD_INPUT', 'give groups or --clear, not both')
    if (values.apply && !values.suggest) throw new TagsmithError('BAD_INPUT', '--apply declares the suggestions: give --suggest too')
    if (values.suggest && (values.clear || specs.length > 0)) throw new TagsmithError('BAD_INPUT', 'give --suggest alone, without groups or --clear')
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
      let found: GroupSuggestions | null = null
      if (values.suggest) {
        const declared = project.getSetting<string[][]>(GROUPS_SETTING) ?? []
        found = suggestGroups(project.labels(), project.images().map((image) => image.labels), declared)
        if (values.apply && found.suggestions.length > 0) setProjectGroups(project, withSuggestions(declared, found.suggestions))
      } else if (values.clear || groups.length > 0) {
        setProjectGroups(project, groups)
      }
      const now = project.getSetting<string[][]>(GROUPS_SETTING) ?? []
      if (values.json) io.out(`${JSON.stringify({ groups: now, ...(found ?? {}) })}\n`)
      else if (found === null) io.out(declaredText(now))
      else io.out(`${suggestionsText(found)}${values.apply ? `declared now:\n${declaredText(now)}` : ''}`)
      return 0
    } finally {
      project.close()
    }
  },
}

function declaredText(groups: string[][]): string {
  return groups.length === 0 ? 'no groups\n' : `${groups.map((g, i) => `group ${i + 1}: ${g.join(', ')}`).join('\n')}\n`
}

function suggestionsText({ suggestions, tolerance, minSupport }: GroupSuggestions): string {
  const rule = `(${suggestionRule(tolerance, minSupport)})`
  if (suggestions.length === 0) return `no groups suggested ${rule}\n`
  return `suggested groups ${rule}:\n${suggestions.map((s) => `  ${suggestionLine(s)}\n`).join('')}`
}
