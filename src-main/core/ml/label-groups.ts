import type { Project } from '../dataset/project.ts'
import { TagsmithError } from '../errors.ts'
import type { RunRecord } from './runs.ts'

// Label groups (exactly one label of a group holds) are declared per project, in the 'groups' setting:
// by the review UI (groups:set) or `tagsmith groups`. A run decodes with the project's groups as they
// are now; a run remembers the groups it was trained with for projects that never declared any since.

export const GROUPS_SETTING = 'groups'

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

/** Checks and stores a project's groups ([] clears them). */
export function setProjectGroups(project: Project, groups: string[][]): void {
  checkGroups(groups, project.labels())
  project.setSetting(GROUPS_SETTING, groups)
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
