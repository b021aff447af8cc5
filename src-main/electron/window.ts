// The main window: hardened preferences, shown once painted, loading only our own UI.
import { BrowserWindow } from 'electron'
import { newMainWindow } from './policy.ts'

export interface UiLocation {
  /** out/renderer/index.html */
  rendererIndex: string
  /** electron-vite's dev server, in development only. */
  devServerUrl?: string
  preload: string
}

export function createMainWindow(ui: UiLocation): BrowserWindow {
  const win = newMainWindow(BrowserWindow, ui.preload)
  win.once('ready-to-show', () => win.show())
  if (ui.devServerUrl) void win.loadURL(ui.devServerUrl)
  else void win.loadFile(ui.rendererIndex)
  return win
}
