import { onBeforeUnmount, onMounted, ref, watch } from 'vue'
import { carriesFiles, dropAction, type DroppedEntry } from '../lib/drop-decision.ts'
import { droppedFiles } from '../lib/file-upload.ts'
import { useAddImagesStore } from '../stores/add-images.ts'
import { useProjectStore } from '../stores/project.ts'

/** The files and folders of a drop; a folder shows as a directory entry where the browser tells. */
function droppedEntries(data: DataTransfer): DroppedEntry[] {
  const items = [...data.items].filter((i) => i.kind === 'file')
  if (items.length === 0) return [...data.files].map((f) => ({ name: f.name, folder: false }))
  return items.map((item) => {
    const entry = item.webkitGetAsEntry()
    return { name: entry?.name ?? item.getAsFile()?.name ?? '', folder: entry?.isDirectory ?? false }
  })
}

/**
 * Files dropped anywhere on the window never make the page navigate to them. On the start screen its own
 * drop target takes them (useDropPaths); with a project open they are offered in the Add images dialog: by
 * their paths in the desktop app, by their bytes in web mode (folders read into their files). `note` says
 * why a drop could not be read, until dismissed. Dragged text is left alone.
 */
export function useWindowDrop() {
  const project = useProjectStore()
  const adding = useAddImagesStore()
  const note = ref<string | null>(null)

  function onDragOver(e: DragEvent): void {
    if (e.dataTransfer === null || !carriesFiles([...e.dataTransfer.types])) return
    e.preventDefault()
  }

  function onDrop(e: DragEvent): void {
    const data = e.dataTransfer
    if (data === null) return
    const action = dropAction({ types: [...data.types], entries: droppedEntries(data) }, project.info !== null)
    if (action.kind === 'ignore') return
    e.preventDefault()
    if (action.kind !== 'add') return
    // A team server adds no images: say so rather than open a dialog whose Add would be refused.
    const refused = project.refused('images:add')
    if (refused !== null) note.value = `The dropped files were not added. ${refused}`
    else offer(data)
  }

  /** Runs inside the drop event: the drag's files and entries are readable only until it returns. */
  function offer(data: DataTransfer): void {
    const files = [...data.files]
    const paths = files.map((f) => project.droppedPath(f))
    if (files.length > 0 && paths.every((p) => p !== null && p !== '')) {
      adding.show({ paths: paths as string[] })
      return
    }
    droppedFiles([...data.items]).then(
      (named) => adding.show({ files: named }),
      (err: unknown) => (note.value = `The dropped files could not be read: ${err instanceof Error ? err.message : String(err)}`),
    )
  }

  function dismiss(): void {
    note.value = null
  }

  // The message was about the project it was dropped on.
  watch(
    () => project.info?.file ?? null,
    () => dismiss(),
  )

  onMounted(() => {
    window.addEventListener('dragover', onDragOver)
    window.addEventListener('drop', onDrop)
  })
  onBeforeUnmount(() => {
    window.removeEventListener('dragover', onDragOver)
    window.removeEventListener('drop', onDrop)
  })

  return { note, dismiss }
}
