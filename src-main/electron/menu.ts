// The application menu. Its commands go to the UI as `app:command` events, so the menu and the UI's
// own buttons run the same store actions. Undo and redo show their shortcuts but leave the keys to the
// page (registerAccelerator: false): the page undoes text in a text field, label edits elsewhere.
import { app, Menu, type MenuItemConstructorOptions } from 'electron'
import type { AppCommand } from '../../src-preload/contract.ts'

export function buildMenu(run: (command: AppCommand) => void, dev: boolean): Menu {
  const item = (label: string, command: AppCommand, accelerator?: string, registerAccelerator = true): MenuItemConstructorOptions => ({
    label,
    accelerator,
    registerAccelerator,
    click: () => run(command),
  })
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        item('&Open Project…', 'open-project', 'CmdOrCtrl+O'),
        item('&Import CSV…', 'import-csv', 'CmdOrCtrl+I'),
        item('&Export CSV…', 'export-csv', 'CmdOrCtrl+E'),
        { type: 'separator' },
        item('&Add Images…', 'add-images'),
        item('Re&scan Folder', 'rescan'),
        { type: 'separator' },
        process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: '&Edit',
      submenu: [
        item('&Undo', 'undo', 'CmdOrCtrl+Z', false),
        item('&Redo', 'redo', 'CmdOrCtrl+Shift+Z', false),
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: '&View',
      submenu: [
        ...(dev ? [{ role: 'reload' as const }, { role: 'toggleDevTools' as const }, { type: 'separator' as const }] : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: `Tagsmith ${app.getVersion()}`, enabled: false }] },
  ]
  return Menu.buildFromTemplate(template)
}
