import type { GroupSuggestions } from '../../../src-preload/contract.ts'
import { proposeGroupName } from '../../../src-shared/group-names.ts'
import { suggestionLine, suggestionRule } from '../../../src-shared/group-suggestion-text.ts'
import { TagsmithError } from '../../core/errors.ts'
import { suggestGroups, withSuggestions } from '../../core/ml/group-suggestions.ts'
import { GROUPS_SETTING, keptNames, projectGroupNames, setProjectGroups } from '../../core/ml/label-groups.ts'
import { parseCommandArgs, type CliCommand } from '../command.ts'
import { requestInput } from '../request-input.ts'
import { openFileProject } from '../store-option.ts'

export const command: CliCommand = {
  help: `Usage: tagsmith groups <project> ["[name=]A,B,C" ...] [--clear] [--json]
       tagsmith groups <project> --suggest [--apply] [--json]

Declares groups of labels of which exactly one holds (e.g. one colour, one garment): predictions and
evaluation decode each group to its most probable label instead of thresholds. The groups given
replace the project's groups; with none given, prints them. "colour=black,blue,red" names a group
(names are shown in the app and change no decision); a group given without a name keeps the name it
had with the same labels, and "=A,B" clears it.

  --clear     remove every group
  --suggest   print the groups the labels suggest: every maximal set of labels of which exactly one
              is set on each image with all of the set's cells filled, with those images' count and
              how many break it (up to 1 % may, for label errors; at least 50 images needed). Sets
              overlapping a declared group are left out.
  --apply     with --suggest: declare the suggestions too, beside the groups already declared, each
              named as the app proposes ("colour", "garment" or "group N")
  --json      print {"groups":[["A","B","C"],...],"names":["colour",...]} (names by position, "" for
              none); with --suggest also "suggestions" (each
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
    const parsed = specs.map(parseSpec)
    const groups = parsed.map((p) => p.labels)
    const sources = Object.fromEntries(specs.map((text, i) => [`groups.${i}`, { option: `group ${i + 1}`, text }]))
    const given = parsed.map((p) => p.name ?? '')
    requestInput('groups:set', { groups, names: given }, { ...sources, ...Object.fromEntries(specs.map((text, i) => [`names.${i}`, { option: `group ${i + 1}`, text }])) })
    const project = openFileProject(file, 'groups')
    try {
      let found: GroupSuggestions | null = null
      if (values.suggest) {
        const declared = project.getSetting<string[][]>(GROUPS_SETTING) ?? []
        found = suggestGroups(project.labels(), project.images().map((image) => image.labels), declared)
        if (values.apply && found.suggestions.length > 0) {
          const all = withSuggestions(declared, found.suggestions)
          setProjectGroups(project, all, proposedNames(keptNames(project, all), all, declared.length))
        }
      } else if (values.clear || groups.length > 0) {
        const kept = keptNames(project, groups)
        setProjectGroups(project, groups, parsed.map((p, i) => p.name ?? kept[i] ?? ''))
      }
      const now = project.getSetting<string[][]>(GROUPS_SETTING) ?? []
      const names = projectGroupNames(project)
      if (values.json) io.out(`${JSON.stringify({ groups: now, names, ...(found ?? {}) })}\n`)
      else if (found === null) io.out(declaredText(now, names))
      else io.out(`${suggestionsText(found)}${values.apply ? `declared now:\n${declaredText(now, names)}` : ''}`)
      return 0
    } finally {
      project.close()
    }
  },
}

/** "colour=black,blue" is a named group; text without "=" is the labels alone. */
function parseSpec(spec: string): { name: string | null; labels: string[] } {
  const eq = spec.indexOf('=')
  const labels = (eq < 0 ? spec : spec.slice(eq + 1))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  return { name: eq < 0 ? null : spec.slice(0, eq).trim(), labels }
}

/** Names for the accepted suggestions (from index `from` on), as the app proposes; declared groups keep theirs. */
function proposedNames(names: readonly string[], groups: readonly string[][], from: number): string[] {
  const out = [...names]
  groups.forEach((g, i) => {
    if (i >= from && (out[i] ?? '') === '') out[i] = proposeGroupName(g, out.slice(0, i))
  })
  return out
}

function declaredText(groups: string[][], names: readonly string[]): string {
  if (groups.length === 0) return 'no groups\n'
  return `${groups.map((g, i) => `group ${i + 1}${names[i] ? ` (${names[i]})` : ''}: ${g.join(', ')}`).join('\n')}\n`
}

function suggestionsText({ suggestions, tolerance, minSupport }: GroupSuggestions): string {
  const rule = `(${suggestionRule(tolerance, minSupport)})`
  if (suggestions.length === 0) return `no groups suggested ${rule}\n`
  return `suggested groups ${rule}:\n${suggestions.map((s) => `  ${suggestionLine(s)}\n`).join('')}`
}
