import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useElectronSqliteBinding } from '../../../src-main/electron/native-binding.ts'
import { tempDir } from './helpers.ts'

/** An app folder as scripts/electron-native.mjs leaves it. */
function preparedApp(manifest: Record<string, unknown>, withBinary = true): string {
  const app = tempDir()
  const dir = join(app, 'node_modules', '.tagsmith-electron')
  mkdirSync(join(dir, 'better-sqlite3', 'build', 'Release'), { recursive: true })
  if (withBinary) writeFileSync(join(dir, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'), '')
  writeFileSync(join(dir, 'native.json'), JSON.stringify(manifest))
  return app
}

const binding = 'node_modules/.tagsmith-electron/better-sqlite3/build/Release/better_sqlite3.node'

describe('the Electron shell finds the better-sqlite3 build made for Electron', () => {
  it('resolves the recorded binding against the app folder and exports it for openDatabase', () => {
    const app = preparedApp({ electron: '39.8.10', binding })
    const env: NodeJS.ProcessEnv = {}
    expect(useElectronSqliteBinding(app, env, '39.8.10')).toBe(join(app, binding))
    expect(env.TAGSMITH_SQLITE_BINDING).toBe(join(app, binding))
  })

  it('ignores a build for another Electron, a missing binary or a missing manifest', () => {
    const cases = [
      preparedApp({ electron: '38.0.0', binding }),
      preparedApp({ electron: '39.8.10', binding }, false),
      preparedApp({ electron: '39.8.10' }),
      tempDir(),
    ]
    for (const app of cases) {
      const env: NodeJS.ProcessEnv = {}
      expect(useElectronSqliteBinding(app, env, '39.8.10')).toBeUndefined()
      expect(env.TAGSMITH_SQLITE_BINDING).toBeUndefined()
    }
  })

  it('leaves an explicit TAGSMITH_SQLITE_BINDING alone', () => {
    const env: NodeJS.ProcessEnv = { TAGSMITH_SQLITE_BINDING: '/opt/custom.node' }
    expect(useElectronSqliteBinding(preparedApp({ electron: '39.8.10', binding }), env, '39.8.10')).toBe('/opt/custom.node')
  })
})
