// Electron main process: lifecycle and wiring. The work itself is the Service (src-main/core), shared
// with web mode; this file only connects it to a hardened window.
import { app, BrowserWindow, dialog, Menu, session, shell } from 'electron'
import { join } from 'node:path'
import { Service } from '../core/service/index.ts'
import { nativeDialogs } from './dialogs.ts'
import { registerImageScheme, serveImages } from './image-protocol.ts'
import { forwardEvents, registerRequestHandlers } from './ipc.ts'
import { useUtilityProcessesForJobs } from './job-launcher.ts'
import { projectFromArgv } from './launch-args.ts'
import { buildMenu } from './menu.ts'
import { useElectronSqliteBinding } from './native-binding.ts'
import { isTrustedUiUrl } from './policy.ts'
import { hardenSession, installHardening } from './security.ts'
import { createMainWindow, type UiLocation } from './window.ts'

const ui: UiLocation = {
  rendererIndex: join(import.meta.dirname, '../renderer/index.html'),
  preload: join(import.meta.dirname, '../preload/index.cjs'),
  devServerUrl: !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined,
}

useElectronSqliteBinding({ appPath: app.getAppPath(), isPackaged: app.isPackaged, resourcesPath: process.resourcesPath })
// Jobs run in utility processes, not in this binary started as Node (the RunAsNode fuse is off).
useUtilityProcessesForJobs()
// The bundle moves the code away from resources/: tell the backbone catalog where it is.
process.env.TAGSMITH_BACKBONES ??= join(app.getAppPath(), 'resources', 'backbones.json')
registerImageScheme()
installHardening()

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  let service: Service | null = null

  const openWindow = (svc: Service): void => {
    const win = createMainWindow(ui)
    forwardEvents(svc, win)
  }

  app.on('second-instance', () => {
    const win = BrowserWindow.getAllWindows()[0]
    if (win?.isMinimized()) win.restore()
    win?.focus()
  })

  void app.whenReady().then(async () => {
    const svc = new Service({
      configDir: process.env.TAGSMITH_CONFIG_DIR ?? app.getPath('userData'),
      mode: 'electron',
      version: app.getVersion(),
      dialogs: nativeDialogs(),
      reveal: (file) => shell.showItemInFolder(file),
      backgroundThumbnails: true,
    })
    service = svc
    hardenSession(session.defaultSession, ui.devServerUrl)
    serveImages(svc)
    registerRequestHandlers(svc, (url) => isTrustedUiUrl(url, ui.rendererIndex, ui.devServerUrl))
    Menu.setApplicationMenu(buildMenu((command) => svc.events['app:command'].emit({ command }), ui.devServerUrl !== undefined))
    await openFromCommandLine(svc)
    openWindow(svc)
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow(svc)
    })
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })

  app.on('will-quit', () => {
    service?.close()
    service = null
  })
}

/** Opens the project named on the command line before the window asks which one is open. */
async function openFromCommandLine(svc: Service): Promise<void> {
  const file = projectFromArgv(process.argv, process.cwd())
  if (file === null) return
  try {
    await svc.request('project:open', { file })
  } catch (err) {
    // The start screen shows; say why the named project is not open.
    dialog.showErrorBox('Tagsmith could not open the project', err instanceof Error ? err.message : String(err))
  }
}
