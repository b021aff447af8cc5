import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { sqliteSteps } from '../../../scripts/electron-native/sqlite-steps.mjs'

const wanted = { electron: '39.8.10', betterSqlite3: '12.6.2', platform: 'linux', arch: 'x64' }
const electronBuild = 'node_modules/.tagsmith-electron/better-sqlite3/build/Release/better_sqlite3.node'

const roots: string[] = []
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true })
})

/** A project with better-sqlite3's Node build in place, and a stand-in tool that "installs" a binary. */
function project(tool: string): { root: string; tool: string } {
  const root = mkdtempSync(join(tmpdir(), 'tagsmith-native-'))
  roots.push(root)
  const sqlite = join(root, 'node_modules', 'better-sqlite3')
  mkdirSync(join(sqlite, 'build', 'Release'), { recursive: true })
  mkdirSync(join(sqlite, 'lib'))
  writeFileSync(join(sqlite, 'package.json'), JSON.stringify({ name: 'better-sqlite3', version: '12.6.2' }))
  writeFileSync(join(sqlite, 'lib', 'index.js'), '')
  writeFileSync(join(sqlite, 'build', 'Release', 'better_sqlite3.node'), 'node build')
  writeFileSync(join(root, 'tool.cjs'), tool)
  return { root, tool: join(root, 'tool.cjs') }
}

// Writes what it was asked, whether the Node build was in its folder and any nodedir it was given, where
// the binary belongs.
const installingTool = `
const fs = require('node:fs')
fs.mkdirSync('build/Release', { recursive: true })
const seen = {
  args: process.argv.slice(2),
  nodeBuildHere: fs.existsSync('build/Release/better_sqlite3.node'),
  nodedir: process.env.npm_config_nodedir ?? null,
}
fs.writeFileSync('build/Release/better_sqlite3.node', JSON.stringify(seen))
`

describe('each attempt works in a copy of better-sqlite3', () => {
  it('a prebuilt download for Electron is installed beside the Node build, which stays as it was', async () => {
    const { root, tool } = project(installingTool)
    const steps = sqliteSteps({ root, wanted, prebuildInstall: tool, nodeGyp: null, env: {}, echo: false })
    expect(steps.isCurrent()).toBe(false)

    expect((await steps.download()).ok).toBe(true)

    const seen = JSON.parse(readFileSync(join(root, electronBuild), 'utf8'))
    expect(seen).toEqual({
      args: ['--runtime', 'electron', '--target', '39.8.10', '--arch', 'x64', '--platform', 'linux'],
      nodeBuildHere: false,
      nodedir: null,
    })
    expect(
      readFileSync(join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'), 'utf8'),
    ).toBe('node build')
    const manifest = JSON.parse(
      readFileSync(join(root, 'node_modules/.tagsmith-electron/native.json'), 'utf8'),
    )
    expect(manifest).toEqual({ ...wanted, source: 'prebuilt', binding: electronBuild })
    expect(steps.isCurrent()).toBe(true)
  })

  it('a compile targets Electron and its headers, not the nodedir npm may set', async () => {
    const { root, tool } = project(installingTool)
    const steps = sqliteSteps({
      root,
      wanted,
      prebuildInstall: null,
      nodeGyp: tool,
      env: { npm_config_nodedir: '/usr' },
      echo: false,
    })
    expect((await steps.download()).ok).toBe(false)
    expect((await steps.compile()).ok).toBe(true)
    const seen = JSON.parse(readFileSync(join(root, electronBuild), 'utf8'))
    expect(seen.args).toEqual([
      'rebuild',
      '--release',
      '--target=39.8.10',
      '--arch=x64',
      '--runtime=electron',
      '--dist-url=https://electronjs.org/headers',
    ])
    expect(seen.nodedir).toBeNull()
    expect(
      JSON.parse(readFileSync(join(root, 'node_modules/.tagsmith-electron/native.json'), 'utf8')).source,
    ).toBe('compiled')
  })

  it('a failed attempt leaves no build, no manifest and no copy behind', async () => {
    const { root, tool } = project(
      `console.error('prebuild-install warn install No prebuilt binaries found'); process.exit(1)`,
    )
    const steps = sqliteSteps({ root, wanted, prebuildInstall: tool, nodeGyp: null, env: {}, echo: false })
    const attempt = await steps.download()
    expect(attempt).toEqual({ ok: false, output: expect.stringContaining('No prebuilt binaries found') })
    expect(existsSync(join(root, 'node_modules/.tagsmith-electron/native.json'))).toBe(false)
    expect(existsSync(join(root, 'node_modules/.tagsmith-electron/better-sqlite3'))).toBe(false)
    expect(existsSync(join(root, 'node_modules/.tagsmith-electron/better-sqlite3.staging'))).toBe(false)
    expect(steps.missingTools()[0]).toMatch(/^node-gyp /)
  })
})
