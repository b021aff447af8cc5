// Where per-user state (the recent projects list) lives. Matches Electron's userData folder for an
// app named "tagsmith", so the desktop app and web mode share one list. TAGSMITH_CONFIG_DIR overrides.
import { homedir } from 'node:os'
import { join } from 'node:path'

export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.TAGSMITH_CONFIG_DIR) return env.TAGSMITH_CONFIG_DIR
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'tagsmith')
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'tagsmith')
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'tagsmith')
}
