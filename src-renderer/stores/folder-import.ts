import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { FolderImportReport, FolderPreview, WireError } from '../../src-preload/contract.ts'
import { getBridge } from '../bridge.ts'
import { toWireError } from '../lib/errors.ts'
import { DEFAULT_FOLDER_FORM, folderRequest, type FolderForm } from '../lib/folder-request.ts'
import { useJobsStore } from './jobs.ts'
import { useProjectStore } from './project.ts'

/** The "New from folder…" dialog: its form, the live preview of what it would create, and Create. */
export const useFolderImportStore = defineStore('folder-import', () => {
  const bridge = getBridge()
  const open = ref(false)
  const form = ref<FolderForm>({ ...DEFAULT_FOLDER_FORM, percents: [...DEFAULT_FOLDER_FORM.percents] })
  const preview = shallowRef<FolderPreview | null>(null)
  const previewError = ref<WireError | null>(null)
  const previewing = ref(false)
  const creating = ref(false)
  const report = shallowRef<FolderImportReport | null>(null)
  const request = computed(() => folderRequest(form.value))
  /** The import job's progress while Create runs. */
  const progress = computed(() => (creating.value ? (useJobsStore().current ?? null) : null))
  // Answers to earlier previews that arrive late are dropped: the form has changed since.
  let asked = 0

  function show(dir?: string): void {
    if (dir !== undefined) form.value = { ...form.value, dir }
    report.value = null
    open.value = true
    void refreshPreview()
  }

  function hide(): void {
    if (!creating.value) open.value = false
  }

  async function refreshPreview(): Promise<void> {
    const ticket = ++asked
    const req = request.value
    if ('problem' in req) {
      preview.value = null
      previewError.value = null
      return
    }
    previewing.value = true
    try {
      const answer = await bridge.invoke('project:folderPreview', req.options)
      if (ticket !== asked) return
      preview.value = answer
      previewError.value = null
    } catch (err) {
      if (ticket !== asked) return
      preview.value = null
      previewError.value = toWireError(err)
    } finally {
      if (ticket === asked) previewing.value = false
    }
  }

  /** Imports the folder; on success the project opens (the dialog closes with the start screen). */
  async function create(projectFile: string): Promise<boolean> {
    const req = request.value
    if ('problem' in req || creating.value) return false
    creating.value = true
    try {
      const file = projectFile.trim()
      const done = await useProjectStore().importFolder(file === '' ? req.options : { ...req.options, projectFile: file })
      report.value = done
      if (done !== null) open.value = false
      return done !== null
    } finally {
      creating.value = false
    }
  }

  async function cancel(): Promise<void> {
    const job = progress.value
    if (job !== null) await useJobsStore().cancel(job.jobId)
  }

  return { open, form, preview, previewError, previewing, creating, report, request, progress, show, hide, refreshPreview, create, cancel }
})
