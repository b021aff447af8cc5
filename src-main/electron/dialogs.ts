// Native open dialogs, attached to the window that asked.
import { BrowserWindow, dialog, type OpenDialogOptions } from 'electron'
import type { Dialogs } from '../core/service/index.ts'

export function nativeDialogs(): Dialogs {
  const open = async (options: OpenDialogOptions): Promise<string[]> => {
    const win = BrowserWindow.getFocusedWindow()
    const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options)
    return result.canceled ? [] : result.filePaths
  }
  return {
    openCsv: () =>
      open({
        title: 'Import CSV files',
        properties: ['openFile', 'multiSelections'],
        filters: [{ name: 'CSV files', extensions: ['csv'] }, { name: 'All files', extensions: ['*'] }],
      }),
    openProject: async () =>
      (
        await open({
          title: 'Open project',
          properties: ['openFile'],
          filters: [{ name: 'Tagsmith projects', extensions: ['tagsmith'] }, { name: 'All files', extensions: ['*'] }],
        })
      )[0] ?? null,
    chooseFolder: async (title) => (await open({ title: title ?? 'Choose a folder', properties: ['openDirectory', 'createDirectory'] }))[0] ?? null,
  }
}
