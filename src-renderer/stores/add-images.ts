import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { AddImagesAnswer, AddImagesInput, RescanAnswer, Split, WireError } from '../../src-preload/contract.ts'
import { getBridge } from '../bridge.ts'
import { toWireError } from '../lib/errors.ts'
import { toUpload, type NamedFile } from '../lib/file-upload.ts'
import { useLabelsStore } from './labels.ts'
import { useProjectStore } from './project.ts'

/** What the Add images dialog asks for; an empty csv means the split's own (or a new one in a folder project). */
export interface AddChoice {
  paths: readonly string[]
  files: readonly NamedFile[]
  split: Split
  csv: string
  /** null: rows start empty; '' the whole folder name is a label; else the separator that splits it. */
  folderLabels: string | null
}

export type AddReport = Omit<AddImagesAnswer, 'result'>

/**
 * Uploaded bytes one add may carry: web mode's socket takes messages of up to 64 MB, and base64 makes
 * bytes a third larger.
 */
export const MAX_UPLOAD_TOTAL = 45 * 1024 * 1024

/**
 * Adding images to the open project ("Add images…", a drop on the grid, the new files a rescan found) and
 * rescanning its folder. The add is one undoable step: the save state, undo and redo follow it as they
 * follow a label edit, and the rows are read again.
 */
export const useAddImagesStore = defineStore('add-images', () => {
  const bridge = getBridge()
  const open = ref(false)
  /** Given before the dialog opened: a drop's paths (desktop) or files (web), or a rescan's new files. */
  const givenPaths = ref<string[]>([])
  const givenFiles = shallowRef<NamedFile[]>([])
  const busy = ref<'idle' | 'adding' | 'rescanning'>('idle')
  const report = shallowRef<AddReport | null>(null)
  const rescanned = shallowRef<RescanAnswer | null>(null)
  const error = ref<WireError | null>(null)

  function show(given: { paths?: readonly string[]; files?: readonly NamedFile[] } = {}): void {
    givenPaths.value = [...(given.paths ?? [])]
    givenFiles.value = [...(given.files ?? [])]
    report.value = null
    rescanned.value = null
    error.value = null
    open.value = true
  }

  function close(): void {
    open.value = false
    givenPaths.value = []
    givenFiles.value = []
  }

  async function add(choice: AddChoice): Promise<boolean> {
    const total = choice.files.reduce((sum, f) => sum + f.file.size, 0)
    if (total > MAX_UPLOAD_TOTAL) {
      const mb = (n: number): string => `${Math.ceil(n / 1024 / 1024)} MB`
      error.value = {
        code: 'BAD_INPUT',
        message: `the chosen files add up to ${mb(total)}; one add sends at most ${mb(MAX_UPLOAD_TOTAL)} of files: add them in smaller batches, or type their paths`,
      }
      return false
    }
    busy.value = 'adding'
    error.value = null
    try {
      const input: AddImagesInput = { split: choice.split }
      if (choice.paths.length > 0) input.paths = [...choice.paths]
      if (choice.files.length > 0) input.uploads = await Promise.all(choice.files.map(toUpload))
      if (choice.csv !== '') input.csv = choice.csv
      if (choice.folderLabels !== null) input.labelsFromFolders = choice.folderLabels === '' ? true : choice.folderLabels
      const answer = await useLabelsStore().commitEdit(
        () => bridge.invoke('images:add', input),
        (a) => a.result,
      )
      const { result: _result, ...rest } = answer
      report.value = rest
      givenPaths.value = []
      givenFiles.value = []
      return true
    } catch (err) {
      error.value = toWireError(err)
      return false
    } finally {
      busy.value = 'idle'
    }
  }

  /** Checks every row's file again and lists the image files no row names; the dialog offers to add them. */
  async function rescan(): Promise<void> {
    show()
    busy.value = 'rescanning'
    try {
      const answer = await bridge.invoke('images:rescan', {})
      rescanned.value = answer
      givenPaths.value = [...answer.new]
      if (answer.missing + answer.back > 0) await useProjectStore().reload()
    } catch (err) {
      error.value = toWireError(err)
    } finally {
      busy.value = 'idle'
    }
  }

  return { open, givenPaths, givenFiles, busy, report, rescanned, error, show, close, add, rescan }
})
