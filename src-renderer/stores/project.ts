import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type {
  AppInfo,
  ChangeSummary,
  FolderImportReport,
  ImportReport,
  ProjectInfo,
  RecentProject,
  RequestName,
  Requests,
  WireError,
} from '../../src-preload/contract.ts'
import { getBridge } from '../bridge.ts'
import { toWireError } from '../lib/errors.ts'
import { refusalReason } from '../lib/team-server.ts'
import { useImagesStore } from './images.ts'

export type ProjectBusy = 'idle' | 'starting' | 'opening' | 'importing' | 'exporting' | 'saving-groups'

export type FolderImportRequest = Requests['project:importFolder']['in']

export interface ImportRequest {
  csvs: string[]
  imagesDir?: string
  projectFile?: string
}

/** The open project, the start screen's lists, import reports and export. */
export const useProjectStore = defineStore('project', () => {
  const bridge = getBridge()
  const app = ref<AppInfo | null>(null)
  // Replaced as a whole by the service's answers; plain arrays keep the per-row loops free of proxies.
  const info = shallowRef<ProjectInfo | null>(null)
  const recent = ref<RecentProject[]>([])
  const report = ref<ImportReport | null>(null)
  const error = ref<WireError | null>(null)
  const busy = ref<ProjectBusy>('idle')
  const changes = ref<ChangeSummary | null>(null)
  const exportedFiles = ref<string[] | null>(null)
  /** Electron offers native file dialogs; the web page asks for typed paths instead. */
  const nativeDialogs = computed(() => app.value?.mode === 'electron')
  /** The team server this page is on (its database, whose connection it is), or null. */
  const team = computed(() => app.value?.team ?? null)
  /** Why the page does not offer `name` here (the server would refuse it), or null when it does. */
  const refused = (name: RequestName): string | null => refusalReason(team.value, name)

  async function run<T>(state: ProjectBusy, work: () => Promise<T>): Promise<T | undefined> {
    busy.value = state
    error.value = null
    try {
      return await work()
    } catch (err) {
      error.value = toWireError(err)
      return undefined
    } finally {
      busy.value = 'idle'
    }
  }

  /** First call of the app: who we are, an already open project (web mode serves one), recent files. */
  async function start(): Promise<void> {
    await run('starting', async () => {
      const [appInfo, current, recents] = await Promise.all([
        bridge.invoke('app:info', {}),
        bridge.invoke('project:current', {}),
        // A team member may not list the server's recent files (UNAVAILABLE): the list is only a shortcut.
        bridge.invoke('project:recent', {}).catch(() => []),
      ])
      app.value = appInfo
      recent.value = recents
      if (current !== null) await enter(current)
    })
  }

  async function enter(project: ProjectInfo): Promise<void> {
    info.value = project
    changes.value = null
    exportedFiles.value = null
    await useImagesStore().load()
  }

  /**
   * The label set or the rows changed shape (a label added or renamed, images added, an undo of either, here
   * or in another window): the project's info and every row are read again; filters follow (filters.ts).
   */
  async function reload(): Promise<void> {
    try {
      const current = await bridge.invoke('project:current', {})
      if (current === null || current.file !== info.value?.file) return
      info.value = current
      await useImagesStore().load()
    } catch (err) {
      error.value = toWireError(err)
    }
  }

  async function open(file: string): Promise<boolean> {
    const ok = await run('opening', async () => {
      const project = await bridge.invoke('project:open', { file })
      report.value = null
      await enter(project)
      return true
    })
    return ok === true
  }

  async function importCsvs(req: ImportRequest): Promise<boolean> {
    // Copies: a caller's list may be reactive state, which no request may carry (see bridge-errors.ts).
    const input: ImportRequest = { csvs: [...req.csvs] }
    if (req.imagesDir !== undefined && req.imagesDir !== '') input.imagesDir = req.imagesDir
    if (req.projectFile !== undefined && req.projectFile !== '') input.projectFile = req.projectFile
    const ok = await run('importing', async () => {
      const result = await bridge.invoke('project:import', input)
      report.value = result.report
      await enter(result.info)
      return true
    })
    return ok === true
  }

  /** A new project from a folder of images; the report (with the skipped files) is the answer. */
  async function importFolder(input: FolderImportRequest): Promise<FolderImportReport | null> {
    const result = await run('importing', async () => {
      const answer = await bridge.invoke('project:importFolder', input)
      report.value = answer.report
      await enter(answer.info)
      return answer.report
    })
    return result ?? null
  }

  async function close(): Promise<void> {
    await run('opening', async () => {
      await bridge.invoke('project:close', {})
      info.value = null
      report.value = null
      useImagesStore().reset()
      recent.value = await bridge.invoke('project:recent', {})
    })
  }

  /** Declares the groups; `names` by position ('' for none), else each keeps the name it had. */
  async function setGroups(groups: readonly (readonly string[])[], names?: readonly string[]): Promise<boolean> {
    // Plain copies: the groups dialog edits a ref, whose arrays are Vue proxies that Electron cannot clone.
    const plain = groups.map((g) => [...g])
    const input = names === undefined ? { groups: plain } : { groups: plain, names: [...names] }
    const ok = await run('saving-groups', async () => {
      info.value = await bridge.invoke('groups:set', input)
      return true
    })
    return ok === true
  }

  async function loadChanges(): Promise<void> {
    await run('idle', async () => {
      changes.value = await bridge.invoke('dataset:changes', {})
    })
  }

  /** Opening the export panel: forget the last written files and count the changes afresh. */
  async function prepareExport(): Promise<void> {
    exportedFiles.value = null
    changes.value = null
    await loadChanges()
  }

  async function exportCsvs(outDir?: string): Promise<boolean> {
    const ok = await run('exporting', async () => {
      const result = await bridge.invoke('dataset:export', outDir !== undefined && outDir !== '' ? { outDir } : {})
      exportedFiles.value = result.files
      changes.value = result.summary
      return true
    })
    return ok === true
  }

  async function pickProjectFile(): Promise<string | null> {
    return (await run('idle', () => bridge.invoke('dialog:openProject', {}))) ?? null
  }

  async function pickCsvFiles(): Promise<string[]> {
    return (await run('idle', () => bridge.invoke('dialog:openCsv', {}))) ?? []
  }

  async function pickFolder(title: string): Promise<string | null> {
    return (await run('idle', () => bridge.invoke('dialog:chooseFolder', { title }))) ?? null
  }

  /** The path of a file dropped on the window, where the platform reveals it (Electron). */
  function droppedPath(file: File): string | null {
    return bridge.pathForFile(file)
  }

  function dismissError(): void {
    error.value = null
  }

  function dismissReport(): void {
    report.value = null
  }

  return {
    app,
    info,
    recent,
    report,
    error,
    busy,
    changes,
    exportedFiles,
    nativeDialogs,
    team,
    refused,
    start,
    open,
    reload,
    importCsvs,
    importFolder,
    close,
    setGroups,
    loadChanges,
    prepareExport,
    exportCsvs,
    pickProjectFile,
    pickCsvFiles,
    pickFolder,
    droppedPath,
    dismissError,
    dismissReport,
  }
})
