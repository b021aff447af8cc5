// better-sqlite3 has to be built for Electron's ABI. The start script builds that copy and records its
// path; we pass it to openDatabase through TAGSMITH_SQLITE_BINDING before any project is opened.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export function useElectronSqliteBinding(appPath: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.TAGSMITH_SQLITE_BINDING) return env.TAGSMITH_SQLITE_BINDING
  const manifest = join(appPath, 'node_modules', '.tagsmith-electron', 'native.json')
  let binding: unknown
  try {
    binding = (JSON.parse(readFileSync(manifest, 'utf8')) as { nativeBinding?: unknown }).nativeBinding
  } catch {
    return undefined // not built for Electron: better-sqlite3's own binary is tried, and its error shown
  }
  if (typeof binding !== 'string' || !existsSync(binding)) return undefined
  env.TAGSMITH_SQLITE_BINDING = binding
  return binding
}
