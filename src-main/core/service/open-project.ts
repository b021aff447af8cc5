import type { Project } from '../dataset/project.ts'
import { TagsmithError } from '../errors.ts'

/** The open project, or the CONFLICT every request that needs one answers when none is open. */
export function requireOpen(project: Project | null): Project {
  if (!project) throw new TagsmithError('CONFLICT', 'no project is open')
  return project
}
