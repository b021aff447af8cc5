// better-sqlite3 has to be built for Electron's ABI. scripts/electron-native.mjs builds that copy and
// records it in node_modules/.tagsmith-electron/native.json ({ "electron", "binding" relative to the
// project root, ... }); we pass it to openDatabase through TAGSMITH_SQLITE_BINDING before any project
// is opened. No Electron import here, so tests can run it.
import { existsSync, readFileSync } from 'node:fs'
import { isAbsolute, join, resolve } from 'node:path'

export function useElectronSqliteBinding(
  appPath: string,
  env: NodeJS.ProcessEnv = process.env,
  electronVersion: string | undefined = process.versions.electron,
): string | undefined {
  if (env.TAGSMITH_SQLITE_BINDING) return env.TAGSMITH_SQLITE_BINDING
  let manifest: { binding?: unknown; nativeBinding?: unknown; electron?: unknown }
  try {
    manifest = JSON.parse(readFileSync(join(appPath, 'node_modules', '.tagsmith-electron', 'native.json'), 'utf8')) as typeof manifest
  } catch {
    return undefined // not prepared: better-sqlite3's own binary is tried, and its error shown
  }
  // A build for another Electron would fail to load; better to report the plain error than crash.
  if (typeof manifest.electron === 'string' && electronVersion !== undefined && manifest.electron !== electronVersion) return undefined
  const recorded = typeof manifest.binding === 'string' ? manifest.binding : manifest.nativeBinding
  if (typeof recorded !== 'string') return undefined
  const binding = isAbsolute(recorded) ? recorded : resolve(appPath, recorded)
  if (!existsSync(binding)) return undefined
  env.TAGSMITH_SQLITE_BINDING = binding
  return binding
}
