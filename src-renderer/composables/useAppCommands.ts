import { watch } from 'vue'
import { useAddImagesStore } from '../stores/add-images.ts'
import { useLabelsStore } from '../stores/labels.ts'
import { useProjectStore } from '../stores/project.ts'
import { useViewStore } from '../stores/view.ts'

/** Carries out the application menu's commands (Electron), which arrive as `app:command` events. */
export function useAppCommands(): void {
  const view = useViewStore()
  const project = useProjectStore()
  const labels = useLabelsStore()

  watch(
    () => view.command,
    async (cmd) => {
      if (cmd === null) return
      switch (cmd.command) {
        case 'open-project': {
          const file = await project.pickProjectFile()
          if (file !== null) await project.open(file)
          break
        }
        case 'import-csv': {
          const csvs = await project.pickCsvFiles()
          if (csvs.length > 0) await project.importCsvs({ csvs })
          break
        }
        case 'export-csv':
          if (project.info !== null) view.openPanel('export')
          break
        case 'add-images':
          if (project.info !== null) useAddImagesStore().show()
          break
        case 'rescan':
          if (project.info !== null) await useAddImagesStore().rescan()
          break
        case 'undo':
          if (project.info !== null) await labels.undo()
          break
        case 'redo':
          if (project.info !== null) await labels.redo()
          break
      }
    },
  )
}
