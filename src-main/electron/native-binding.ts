// better-sqlite3 has to be built for Electron's ABI. In development scripts/electron-native.mjs prepares
// that build and records it in node_modules/.tagsmith-electron/native.json ({ "electron", "binding"
// relative to the project root, ... }); a packaged app carries it at <resources>/native/better_sqlite3.node
// (electron-builder.ts puts it there). We pass it to openDatabase through TAGSMITH_SQLITE_BINDING before
// any project is opened. No Electron import here, so tests can run it against stand-in layouts.
import { existsSync, readFileSync } from 'node:fs'
import { basename, dirname, isAbsolute, join, resolve } from 'node:path'

/** Where a packaged app carries the Electron build of better-sqlite3, relative to process.resourcesPath. */
export const PACKAGED_SQLITE_BINDING = 'native/better_sqlite3.node'

export interface AppLayout {
  /** app.getAppPath(): the project folder in development, <resources>/app.asar when packaged */
  appPath: string
  /** app.isPackaged (default: whether appPath is an app.asar) */
  isPackaged?: boolean
  /** process.resourcesPath (default: the folder holding appPath) */
  resourcesPath?: string
}

/** The build scripts/electron-native.mjs recorded, if it is for this Electron and still there. */
function developmentBinding(appPath: string, electronVersion: string | undefined): string | undefined {
  let manifest: { binding?: unknown; nativeBinding?: unknown; electron?: unknown }
  try {
    manifest = JSON.parse(
      readFileSync(join(appPath, 'node_modules', '.tagsmith-electron', 'native.json'), 'utf8'),
    ) as typeof manifest
  } catch {
    return undefined // not prepared: better-sqlite3's own binary is tried, and its error shown
  }
  // A build for another Electron would fail to load; better to report the plain error than crash.
  if (
    typeof manifest.electron === 'string' &&
    electronVersion !== undefined &&
    manifest.electron !== electronVersion
  )
    return undefined
  const recorded = typeof manifest.binding === 'string' ? manifest.binding : manifest.nativeBinding
  if (typeof recorded !== 'string') return undefined
  return isAbsolute(recorded) ? recorded : resolve(appPath, recorded)
}

export function useElectronSqliteBinding(
  app: string | AppLayout,
  env: NodeJS.ProcessEnv = process.env,
  electronVersion: string | undefined = process.versions.electron,
): string | undefined {
  if (env.TAGSMITH_SQLITE_BINDING) return env.TAGSMITH_SQLITE_BINDING
  const layout: AppLayout = typeof app === 'string' ? { appPath: app } : app
  const packaged = layout.isPackaged ?? basename(layout.appPath) === 'app.asar'
  const binding = packaged
    ? join(layout.resourcesPath ?? dirname(layout.appPath), PACKAGED_SQLITE_BINDING)
    : developmentBinding(layout.appPath, electronVersion)
  if (binding === undefined || !existsSync(binding)) return undefined
  env.TAGSMITH_SQLITE_BINDING = binding
  return binding
}
