import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import config from '../../electron-builder.ts'
import { useElectronSqliteBinding } from '../../src-main/electron/native-binding.ts'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function put(file: string, text = ''): void {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, text)
}

/**
 * An installed app as electron-builder lays it out (resources/app.asar, its unpacked native code, and
 * the extraResources the config names), with or without the shipped Electron build of better-sqlite3.
 */
function installedApp(withSqlite = true): { appPath: string; resourcesPath: string } {
  const install = mkdtempSync(join(tmpdir(), 'tagsmith-installed-'))
  dirs.push(install)
  const resourcesPath = join(install, 'resources')
  put(join(resourcesPath, 'app.asar'), 'asar')
  put(
    join(
      resourcesPath,
      'app.asar.unpacked/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node',
    ),
  )
  put(join(resourcesPath, 'app.asar.unpacked/node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64.node'))
  if (withSqlite)
    for (const { to } of config.extraResources as Array<{ to: string }>)
      put(join(resourcesPath, to), 'electron build')
  return { appPath: join(resourcesPath, 'app.asar'), resourcesPath }
}

describe('the packaged app finds the Electron build of better-sqlite3 it ships', () => {
  it('under resourcesPath, where the packaging config puts it', () => {
    const { appPath, resourcesPath } = installedApp()
    const env: NodeJS.ProcessEnv = {}
    const found = useElectronSqliteBinding({ appPath, isPackaged: true, resourcesPath }, env, '39.8.10')
    expect(found).toBe(join(resourcesPath, 'native', 'better_sqlite3.node'))
    expect(env.TAGSMITH_SQLITE_BINDING).toBe(found)
  })

  it('knows an app.asar path for a packaged app when only app.getAppPath() is given', () => {
    const { appPath, resourcesPath } = installedApp()
    expect(useElectronSqliteBinding(appPath, {}, '39.8.10')).toBe(
      join(resourcesPath, 'native', 'better_sqlite3.node'),
    )
  })

  it('reports nothing when the package lacks it, so the plain load error is shown', () => {
    const { appPath, resourcesPath } = installedApp(false)
    const env: NodeJS.ProcessEnv = {}
    expect(
      useElectronSqliteBinding({ appPath, isPackaged: true, resourcesPath }, env, '39.8.10'),
    ).toBeUndefined()
    expect(env.TAGSMITH_SQLITE_BINDING).toBeUndefined()
  })

  it('in development, reads the build scripts/electron-native.mjs recorded in the project', () => {
    const project = mkdtempSync(join(tmpdir(), 'tagsmith-dev-'))
    dirs.push(project)
    const binding = 'node_modules/.tagsmith-electron/better-sqlite3/build/Release/better_sqlite3.node'
    put(join(project, binding))
    put(
      join(project, 'node_modules/.tagsmith-electron/native.json'),
      JSON.stringify({ electron: '39.8.10', binding }),
    )
    // A stale packaged copy elsewhere must not matter when the app runs from the project.
    expect(
      useElectronSqliteBinding(
        { appPath: project, isPackaged: false, resourcesPath: join(project, 'elsewhere') },
        {},
        '39.8.10',
      ),
    ).toBe(join(project, binding))
  })
})
