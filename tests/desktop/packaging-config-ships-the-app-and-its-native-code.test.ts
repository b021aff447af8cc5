import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Arch } from 'electron-builder'
import { afterEach, describe, expect, it } from 'vitest'
import config, { ELECTRON_SQLITE_BUILD, requireNativeBuildFor } from '../../electron-builder.ts'
import { BINDING, OUT_DIR } from '../../scripts/electron-native/sqlite-steps.mjs'
import { PACKAGED_SQLITE_BINDING } from '../../src-main/electron/native-binding.ts'
import { matchesPatterns, packsAppFile, packsNodeModuleFile } from './packaging-patterns.ts'

const repoRoot = path.resolve(import.meta.dirname, '../..')
const files = (config.files ?? []) as string[]
const asarUnpack = (config.asarUnpack ?? []) as string[]

/** Every production package folder in node_modules, from package-lock.json (what electron-builder packs). */
function productionPackages(): string[] {
  const lock = JSON.parse(readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean }>
  }
  return Object.entries(lock.packages)
    .filter(
      ([dir, info]) =>
        dir.startsWith('node_modules/') && info.dev !== true && existsSync(path.join(repoRoot, dir)),
    )
    .map(([dir]) => dir)
}

/** Native code the OS loads: addons and shared libraries, versioned ones (libvips-cpp.so.8.18.7) too. */
const NATIVE = /\.(node|dll|dylib)$|\.so(\.\d+)*$/

function nativeFilesIn(dir: string): string[] {
  return readdirSync(path.join(repoRoot, dir), { recursive: true, encoding: 'utf8' })
    .map((name) => `${dir}/${name.split(path.sep).join('/')}`)
    .filter((file) => NATIVE.test(file) && !file.slice(dir.length).includes('/node_modules/'))
}

describe('the packaged app holds the built app and nothing of the sources', () => {
  it('takes out/, resources/ and package.json, with the entry points the app starts from', () => {
    const main = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { main: string })
      .main
    for (const file of [
      main,
      'out/main/index.js',
      'out/preload/index.cjs',
      'out/renderer/index.html',
      'out/main/worker.js',
      'resources/backbones.json',
      'package.json',
    ]) {
      expect(packsAppFile(file, files), file).toBe(true)
    }
  })

  it('leaves out tests, sources, benchmarks, scripts and docs', () => {
    const left = [
      'tests/unit/db/x.test.ts',
      'src-main/electron/index.ts',
      'src-renderer/App.vue',
      'src-preload/index.ts',
      'src-shared/x.ts',
      'bench/run.ts',
      'scripts/electron-native.mjs',
      'docs/screenshot-grid.png',
      'README.md',
      'electron.vite.config.ts',
    ]
    for (const file of left) expect(packsAppFile(file, files), file).toBe(false)
  })

  it("leaves out the CLI's TypeScript loader and the source maps of node_modules, keeping their code", () => {
    for (const file of [
      'node_modules/tsx/dist/loader.mjs',
      'node_modules/@esbuild/linux-x64/bin/esbuild',
      'node_modules/@tensorflow/tfjs/dist/tf.node.js.map',
    ]) {
      expect(packsNodeModuleFile(file, files), file).toBe(false)
    }
    expect(packsNodeModuleFile('node_modules/@tensorflow/tfjs/dist/tf.node.js', files)).toBe(true)
  })
})

describe('native code is unpacked from app.asar, where the OS can load it', () => {
  const packages = productionPackages()
  const natives = packages.flatMap(nativeFilesIn).filter((file) => packsNodeModuleFile(file, files))

  it("finds this platform's onnxruntime-node and sharp binaries among the packed files", () => {
    expect(
      natives.some((file) => file.startsWith('node_modules/onnxruntime-node/bin/') && file.endsWith('.node')),
    ).toBe(true)
    expect(
      natives.some((file) =>
        /^node_modules\/onnxruntime-node\/bin\/.*onnxruntime[^/]*\.(so(\.\d+)*|dylib|dll)$/.test(file),
      ),
    ).toBe(true)
    expect(natives.some((file) => /^node_modules\/@img\/sharp-[^/]+\/lib\/.*\.node$/.test(file))).toBe(true)
    expect(natives.some((file) => /^node_modules\/@img\/sharp-libvips-[^/]+\/lib\/libvips/.test(file))).toBe(
      true,
    )
  })

  it('every packed .node, .so, .dylib and .dll matches an asarUnpack pattern', () => {
    expect(natives.filter((file) => !matchesPatterns(file, asarUnpack))).toEqual([])
  })

  it("better-sqlite3's Node build stays out; its Electron build is shipped beside app.asar instead", () => {
    const nodeBuild = nativeFilesIn('node_modules/better-sqlite3')
    expect(nodeBuild).toContain('node_modules/better-sqlite3/build/Release/better_sqlite3.node')
    for (const file of nodeBuild) expect(packsNodeModuleFile(file, files), file).toBe(false)
    expect(packsNodeModuleFile('node_modules/better-sqlite3/lib/database.js', files)).toBe(true)
    expect(config.extraResources).toEqual([{ from: ELECTRON_SQLITE_BUILD, to: PACKAGED_SQLITE_BINDING }])
    expect(ELECTRON_SQLITE_BUILD).toBe(`${OUT_DIR}/better-sqlite3/${BINDING}`)
  })

  it("packs only this platform's and arch's ONNX Runtime", () => {
    const other = { linux: 'win32', darwin: 'linux', win32: 'darwin' }[process.platform as string] ?? 'win32'
    const otherArch = process.arch === 'arm64' ? 'x64' : 'arm64'
    expect(
      packsNodeModuleFile(
        `node_modules/onnxruntime-node/bin/napi-v6/${process.platform}/${process.arch}/onnxruntime_binding.node`,
        files,
      ),
    ).toBe(true)
    expect(
      packsNodeModuleFile(
        `node_modules/onnxruntime-node/bin/napi-v6/${other}/${process.arch}/onnxruntime_binding.node`,
        files,
      ),
    ).toBe(false)
    expect(
      packsNodeModuleFile(
        `node_modules/onnxruntime-node/bin/napi-v6/${process.platform}/${otherArch}/onnxruntime_binding.node`,
        files,
      ),
    ).toBe(false)
    expect(packsNodeModuleFile('node_modules/onnxruntime-node/dist/index.js', files)).toBe(true)
  })
})

describe('the packaging settings', () => {
  it('names the app and builds AppImage and deb, dmg, and an NSIS installer', () => {
    expect(config).toMatchObject({ productName: 'Tagsmith', appId: 'app.tagsmith.desktop' })
    expect(config.linux?.target).toEqual(['AppImage', 'deb'])
    expect(config.mac?.target).toBe('dmg')
    expect(config.win?.target).toBe('nsis')
  })

  it('never rebuilds node_modules in place, and turns off running Electron as Node', () => {
    expect(config.npmRebuild).toBe(false)
    expect(config.electronFuses).toMatchObject({ runAsNode: false, onlyLoadAppFromAsar: true })
  })

  it('has the icons it names, as 512 and 1024 pixel squares', () => {
    const icons = [config.linux?.icon, config.mac?.icon, config.win?.icon]
    const pngs = readdirSync(path.join(repoRoot, 'resources/icons')).map((name) => `resources/icons/${name}`)
    expect(pngs.sort()).toEqual(['resources/icons/1024x1024.png', 'resources/icons/512x512.png'])
    for (const icon of icons)
      expect(icon === 'resources/icons' || pngs.includes(icon ?? ''), String(icon)).toBe(true)
    for (const png of pngs) {
      const header = readFileSync(path.join(repoRoot, png))
      const side = Number(/(\d+)x/.exec(png)?.[1])
      expect([header.readUInt32BE(16), header.readUInt32BE(20)], png).toEqual([side, side])
    }
  })
})

describe('packing stops unless the Electron build of better-sqlite3 fits the target', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  function projectWith(built: Record<string, unknown> | null): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'tagsmith-pack-'))
    dirs.push(dir)
    mkdirSync(path.join(dir, 'node_modules/electron'), { recursive: true })
    mkdirSync(path.join(dir, OUT_DIR), { recursive: true })
    writeFileSync(
      path.join(dir, 'node_modules/electron/package.json'),
      JSON.stringify({ version: '39.8.10' }),
    )
    if (built) writeFileSync(path.join(dir, OUT_DIR, 'native.json'), JSON.stringify(built))
    return dir
  }
  const linuxX64 = { electron: '39.8.10', platform: 'linux', arch: 'x64', binding: ELECTRON_SQLITE_BUILD }

  it('goes ahead for the platform, arch and Electron it was built for', () => {
    expect(() =>
      requireNativeBuildFor({
        projectDir: projectWith(linuxX64),
        electronPlatformName: 'linux',
        arch: Arch.x64,
      }),
    ).not.toThrow()
  })

  it('refuses another OS or arch, another Electron, or no build at all', () => {
    const cases: Array<[Record<string, unknown> | null, string, Arch, RegExp]> = [
      [linuxX64, 'win32', Arch.x64, /pack win32-x64 on a win32 x64 machine/],
      [linuxX64, 'linux', Arch.arm64, /not linux-arm64/],
      [{ ...linuxX64, electron: '38.0.0' }, 'linux', Arch.x64, /for Electron 38\.0\.0, not 39\.8\.10/],
      [null, 'linux', Arch.x64, /run npm run dist/],
    ]
    for (const [built, platform, arch, message] of cases) {
      expect(() =>
        requireNativeBuildFor({ projectDir: projectWith(built), electronPlatformName: platform, arch }),
      ).toThrow(message)
    }
  })
})
