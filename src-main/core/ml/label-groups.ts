import type { Project } from '../dataset/project.ts'
import { TagsmithError } from '../errors.ts'
import type { RunRecord } from './runs.ts'

// Label groups (exactly one label of a group holds) are declared per project, in the 'groups' setting:
// by the review UI (groups:set) or `tagsmith groups`. A run decodes with the project's groups as they
// are now; a run remembers the groups it was trained with for projects that never declared any since.

export const GROUPS_SETTING = 'groups'
/** Each group's name by position ('' for none), beside 'groups' so every reader of the groups stays as it
 *  was: names are for display, decoding and metrics never read them. Older projects have none. */
export const GROUP_NAMES_SETTING = 'group-names'
const NAME_MAX = 100

/** Refuses unknown labels and a label in two groups, naming the group. */
export function checkGroups(groups: ReadonlyArray<ReadonlyArray<string>>, labels: readonly string[]): void {
  const known = new Set(labels)
  const seen = new Map<string, number>()
  groups.forEach((group, index) => {
    if (group.length < 2) throw new TagsmithError('BAD_INPUT', `group ${index + 1}: a group needs at least two labels`)
    for (const label of group) {
      if (!known.has(label)) throw new TagsmithError('BAD_INPUT', `group ${index + 1}: unknown label ${JSON.stringify(label)}`)
      const other = seen.get(label)
      if (other !== undefined) {
        throw new TagsmithError('BAD_INPUT', `label ${JSON.stringify(label)} is in groups ${other + 1} and ${index + 1}; a label may belong to one group`)
      }
      seen.set(label, index)
    }
  })
}

/** A project's group names, one per declared group ('' for none). */
export function projectGroupNames(project: Project): string[] {
  const groups = project.getSetting<string[][]>(GROUPS_SETTING) ?? []
  const names = project.getSetting<unknown[]>(GROUP_NAMES_SETTING) ?? []
  return groups.map((_, i) => {
    const name = names[i]
    return typeof name === 'string' ? name : ''
  })
}

/**
 * Checks and stores a project's groups ([] clears them) and their names. Without `names`, a group keeps
 * the name of a declared group with the same labels (so callers that know no names lose none).
 */
export function setProjectGroups(project: Project, groups: string[][], names?: readonly string[]): void {
  checkGroups(groups, project.labels())
  const kept = names ?? keptNames(project, groups)
  if (kept.length !== groups.length) throw new TagsmithError('BAD_INPUT', `give one name per group (${groups.length}), not ${kept.length}`)
  const clean = kept.map((n, i) => {
    const name = n.trim()
    if (name.length > NAME_MAX) throw new TagsmithError('BAD_INPUT', `group ${i + 1}: a name has at most ${NAME_MAX} characters`)
    return name
  })
  const taken = new Map<string, number>()
  clean.forEach((name, i) => {
    const other = taken.get(name.toLowerCase())
    if (name !== '' && other !== undefined) throw new TagsmithError('BAD_INPUT', `groups ${other + 1} and ${i + 1} are both named ${JSON.stringify(name)}`)
    taken.set(name.toLowerCase(), i)
  })
  project.db.transaction(() => {
    project.setSetting(GROUPS_SETTING, groups)
    project.setSetting(GROUP_NAMES_SETTING, clean)
  })()
}

/** The name each group had when declared with the same labels ('' for a new group). */
export function keptNames(project: Project, groups: readonly string[][]): string[] {
  const declared = project.getSetting<string[][]>(GROUPS_SETTING) ?? []
  const names = projectGroupNames(project)
  const key = (g: readonly string[]): string => JSON.stringify([...g].sort())
  const byLabels = new Map(declared.map((g, i) => [key(g), names[i] ?? '']))
  return groups.map((g) => byLabels.get(key(g)) ?? '')
}

/** The groups a run decodes with: the project's declared groups, else the run's own. */
export function decodingGroups(project: Project, run: Pick<RunRecord, 'id' | 'labels' | 'groups'>): string[][] {
  const declared = project.getSetting<string[][]>(GROUPS_SETTING)
  const groups = declared ?? run.groups ?? []
  try {
    checkGroups(groups, run.labels)
  } catch (err) {
    throw new TagsmithError('BAD_INPUT', `the label groups do not fit run ${run.id}: ${err instanceof Error ? err.message : String(err)}`)
  }
  return groups.map((g) => [...g])
}
