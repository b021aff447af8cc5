import { onBeforeUnmount, onMounted, ref, watch } from 'vue'
import { carriesFiles, dropAction, type DroppedEntry } from '../lib/drop-decision.ts'
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
 * drop target takes them (useDropPaths); with a project open they are refused, and `note` says what was
 * dropped until dismissed. Dragged text is left alone.
 */
export function useWindowDrop() {
  const project = useProjectStore()
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
    if (action.kind === 'refuse') note.value = action.message
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
