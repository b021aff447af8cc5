import { ref } from 'vue'

/**
 * A drop target that hands over the paths of dropped files. `pathOf` answers null where the platform hides
 * them (a web page never learns where a file lives), and then `onPaths` gets null.
 */
export function useDropPaths(pathOf: (file: File) => string | null, onPaths: (paths: string[] | null) => void) {
  const dragging = ref(false)

  function onDragOver(e: DragEvent): void {
    e.preventDefault()
    dragging.value = true
  }

  function onDragLeave(): void {
    dragging.value = false
  }

  function onDrop(e: DragEvent): void {
    e.preventDefault()
    dragging.value = false
    const paths = [...(e.dataTransfer?.files ?? [])].map(pathOf)
    const known = paths.filter((p): p is string => p !== null && p !== '')
    onPaths(known.length === paths.length && known.length > 0 ? known : null)
  }

  return { dragging, onDragOver, onDragLeave, onDrop }
}
