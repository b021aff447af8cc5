// Packaging (`npm run dist`): electron-builder turns out/ and the production node_modules into one app
// per OS. Native modules are built for the machine that packs, so each OS is packed on that OS.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Arch, type Configuration } from 'electron-builder'
import { PACKAGED_SQLITE_BINDING } from './src-main/electron/native-binding.ts'

/** What scripts/electron-native.mjs builds: better-sqlite3 for Electron's ABI (see native.json there). */
export const ELECTRON_SQLITE_BUILD =
  'node_modules/.tagsmith-electron/better-sqlite3/build/Release/better_sqlite3.node'

/**
 * Stops packing unless the Electron build of better-sqlite3 is there and made for this target: packing
 * another OS or arch would ship this machine's binaries (better-sqlite3, sharp, onnxruntime-node).
 */
export function requireNativeBuildFor(context: {
  projectDir: string
  electronPlatformName: string
  arch: Arch
}): void {
  const target = `${context.electronPlatformName}-${Arch[context.arch]}`
  const read = (file: string): Record<string, unknown> | null => {
    try {
      return JSON.parse(readFileSync(join(context.projectDir, file), 'utf8')) as Record<string, unknown>
    } catch {
      return null
    }
  }
  const built = read('node_modules/.tagsmith-electron/native.json')
  const electron = read('node_modules/electron/package.json')?.version
  if (built === null || built.binding !== ELECTRON_SQLITE_BUILD) {
    throw new Error(
      `No Electron build of better-sqlite3 to pack for ${target}: run npm run dist (it runs scripts/electron-native.mjs first).`,
    )
  }
  if (`${String(built.platform)}-${String(built.arch)}` !== target) {
    throw new Error(
      `This machine prepared native modules for ${String(built.platform)}-${String(built.arch)}, not ${target}: ` +
        `pack ${target} on a ${context.electronPlatformName} ${Arch[context.arch]} machine.`,
    )
  }
  if (built.electron !== electron) {
    throw new Error(
      `The better-sqlite3 build is for Electron ${String(built.electron)}, not ${String(electron)}: run npm run dist again.`,
    )
  }
}

const config: Configuration = {
  appId: 'app.tagsmith.desktop',
  productName: 'Tagsmith',
  copyright: 'Copyright © Tagsmith contributors',
  directories: { output: 'dist' },
  // The app is the bundles electron-vite built, our resources and package.json. electron-builder adds the
  // production node_modules itself; the `!node_modules/…` lines trim what the app never loads.
  files: [
    'out/**',
    'resources/**',
    'package.json',
    // Its Node build, sources and build files: the app loads the Electron build shipped below.
    '!node_modules/better-sqlite3/{build,deps,src}{,/**}',
    '!node_modules/better-sqlite3/binding.gyp',
    // ONNX Runtime ships every OS and CPU; keep this target's.
    '!node_modules/onnxruntime-node/bin/napi-v*/!(${platform}){,/**}',
    '!node_modules/onnxruntime-node/bin/napi-v*/*/!(${arch}){,/**}',
    // The TypeScript loader (and its esbuild executable) serves the CLI; the app runs built JavaScript.
    '!node_modules/{tsx,esbuild,@esbuild}{,/**}',
    // Source maps are half the size of node_modules (TensorFlow.js alone ships 150 MB of them).
    '!node_modules/**/*.map',
  ],
  // The OS loads native code from real files, never from inside app.asar; libraries beside an addon
  // (libvips, libonnxruntime, libtensorflow) must stay beside it, so those folders go out whole.
  asarUnpack: [
    '**/*.node',
    '**/*.{so,dylib,dll}',
    '**/*.so.*',
    'node_modules/@img/**',
    'node_modules/onnxruntime-node/bin/**',
    'node_modules/@tensorflow/tfjs-node{,-gpu}/{lib,deps}/**',
  ],
  extraResources: [{ from: ELECTRON_SQLITE_BUILD, to: PACKAGED_SQLITE_BINDING }],
  // Never rebuild node_modules in place: the Node build there serves the CLI and the tests.
  npmRebuild: false,
  beforePack: (context) => requireNativeBuildFor({ ...context, projectDir: context.packager.projectDir }),
  electronFuses: {
    // Jobs run in Electron's utilityProcess, so nothing needs ELECTRON_RUN_AS_NODE.
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    onlyLoadAppFromAsar: true,
    // Checked on macOS and Windows; Electron has no such check on Linux, where it does nothing.
    enableEmbeddedAsarIntegrityValidation: true,
  },
  publish: null,
  linux: {
    target: ['AppImage', 'deb'],
    executableName: 'tagsmith',
    icon: 'resources/icons',
    category: 'Graphics',
    synopsis: 'Review multi-label image datasets and train a classifier',
    maintainer: 'Tagsmith',
  },
  mac: {
    target: 'dmg',
    icon: 'resources/icons/1024x1024.png',
    category: 'public.app-category.developer-tools',
  },
  win: {
    target: 'nsis',
    icon: 'resources/icons/1024x1024.png',
  },
}

export default config
