// The service's project requests: open, import, close, recent files, label groups (declared and
// suggested) and CSV export. It holds the one open project that every other domain of the service
// works on.
import { statSync } from 'node:fs'
import type { ProjectInfo, RequestName } from '../../../src-preload/contract.ts'
import { importFolder, previewFolder } from '../dataset/folder-import.ts'
import { Project } from '../dataset/project.ts'
import { TagsmithError } from '../errors.ts'
import { suggestGroups } from '../ml/group-suggestions.ts'
import { GROUPS_SETTING, projectGroupNames, setProjectGroups } from '../ml/label-groups.ts'
import type { HandlerTable } from './handler-table.ts'
import type { JobTable } from '../jobs/job-table.ts'
import { requireOpen } from './open-project.ts'
import { RecentProjects } from './recent.ts'

type ProjectRequest = Extract<RequestName, `project:${string}` | `dataset:${string}` | `groups:${string}`>

export interface ProjectServiceOptions {
  jobs: JobTable
  /** Folder for per-user state (the recent projects list). */
  configDir: string
  /** Called when another project opens or the open one closes: what was kept of the old one goes. */
  switched: () => void
}

export class ProjectService {
  readonly recent: RecentProjects
  readonly #options: ProjectServiceOptions
  #project: Project | null = null
  #info: ProjectInfo | null = null
  #importing = false

  constructor(options: ProjectServiceOptions) {
    this.#options = options
    this.recent = new RecentProjects(options.configDir)
  }

  /** The open project, if any. */
  get current(): Project | null {
    return this.#project
  }

  readonly handlers: HandlerTable<ProjectRequest> = {
    'project:open': async ({ file }) => {
      this.#refuseWhileImporting()
      requireFile(file, 'project file')
      const project = Project.open(file)
      this.#setProject(project)
      return this.#projectInfo()
    },

    'project:import': async ({ csvs, imagesDir, projectFile }, origin) => {
      this.#refuseWhileImporting()
      for (const csv of csvs) requireFile(csv, 'CSV file')
      this.#importing = true
      try {
        const { done } = this.#options.jobs.run(
          'import',
          ({ signal, report }) =>
            Project.importCsvs({ csvs, imagesDir, projectFile, signal, onProgress: (p) => report({ ...p, phase: 'hashing images' }) }),
          origin,
        )
        const { project, report } = await done
        this.#setProject(project)
        return { info: this.#projectInfo(), report }
      } finally {
        this.#importing = false
      }
    },

    'project:folderPreview': async (options) => previewFolder(options),

    'project:importFolder': async ({ projectFile, ...options }, origin) => {
      this.#refuseWhileImporting()
      this.#importing = true
      try {
        const { done } = this.#options.jobs.run(
          'import',
          ({ signal, report }) => importFolder({ ...options, projectFile, signal, onProgress: report }),
          origin,
        )
        const { file, report } = await done
        this.#setProject(Project.open(file))
        return { info: this.#projectInfo(), report }
      } finally {
        this.#importing = false
      }
    },

    'project:current': async () => (this.#project ? this.#projectInfo() : null),

    'project:recent': async () => this.recent.list(),

    'project:close': async () => {
      this.#refuseWhileImporting()
      this.close()
      return null
    },

    'groups:set': async ({ groups, names }) => {
      setProjectGroups(this.#requireProject(), groups, names)
      this.#info = null
      return this.#projectInfo()
    },

    // Counted afresh each time: label edits change what the rows suggest.
    'groups:suggest': async () => {
      const project = this.#requireProject()
      const declared = project.getSetting<string[][]>(GROUPS_SETTING) ?? []
      return suggestGroups(project.labels(), project.images().map((image) => image.labels), declared)
    },

    'dataset:changes': async () => this.#requireProject().changesSinceImport(),

    'dataset:export': async ({ outDir }) => {
      const project = this.#requireProject()
      const files = project.exportCsvs(outDir)
      return { files, summary: project.changesSinceImport() }
    },
  }

  /** The label set or the rows changed shape: the project's info is read again when next asked. */
  forgetInfo(): void {
    this.#info = null
  }

  /** Closes the open project, if any. */
  /**
   * Opens `file` again after `replace` wrote a new version of it (a team server's working copy made again):
   * the old connection is closed first, so nothing holds the file being replaced.
   */
  reopen(replace: (file: string) => void): void {
    const file = this.#requireProject().file
    this.close()
    replace(file)
    this.#project = Project.open(file)
  }

  close(): void {
    this.#project?.close()
    this.#project = null
    this.#info = null
    this.#options.switched()
  }

  #requireProject(): Project {
    return requireOpen(this.#project)
  }

  #refuseWhileImporting(): void {
    if (this.#importing) throw new TagsmithError('CONFLICT', 'an import is running; wait for it or cancel it first')
  }

  #setProject(project: Project): void {
    this.close()
    this.#project = project
    this.recent.add(project.file)
  }

  /** Cached: labels, sources and the image count do not change after import. */
  #projectInfo(): ProjectInfo {
    const project = this.#requireProject()
    if (!this.#info) {
      const images = project.images()
      this.#info = {
        file: project.file,
        imagesDir: project.imagesDir,
        labels: project.labels(),
        groups: project.getSetting<string[][]>(GROUPS_SETTING) ?? [],
        groupNames: projectGroupNames(project),
        sources: [...new Set(images.map((image) => image.source))],
        imageCount: images.length,
      }
    }
    return this.#info
  }
}

function requireFile(file: string, what: string): void {
  const stats = statSync(file, { throwIfNoEntry: false })
  if (!stats) throw new TagsmithError('NOT_FOUND', `${what} not found: ${file}`)
  if (!stats.isFile()) throw new TagsmithError('BAD_INPUT', `${what} is not a file: ${file}`)
}
