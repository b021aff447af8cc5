#!/usr/bin/env node
// Prepares what the desktop app needs before electron-vite starts it:
//   1. the Electron binary (its download is not run by `npm install`, so installing works offline);
//   2. a build of better-sqlite3 for Electron's ABI, kept apart from the Node build that the CLI,
//      the web mode and the tests load.
// The Electron build lives in node_modules/.tagsmith-electron/better-sqlite3, and
// node_modules/.tagsmith-electron/native.json records it:
//   { "electron": "<version>", "betterSqlite3": "<version>", "platform", "arch",
//     "binding": "node_modules/.tagsmith-electron/better-sqlite3/build/Release/better_sqlite3.node" }
// ("binding" is relative to the project root); the app passes it to better-sqlite3 as `nativeBinding`.
// Does nothing when both are already in place. Exit code 1, with the reason and a fix, on failure.
//
// Environment:
//   TAGSMITH_ELECTRON_HEADERS  folder of unpacked Electron headers, for machines that cannot reach
//                              https://electronjs.org/headers
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const modules = path.join(root, 'node_modules')
const outDir = path.join(modules, '.tagsmith-electron')
const manifestFile = path.join(outDir, 'native.json')
const BINDING = 'build/Release/better_sqlite3.node'
const HEADERS_URL = 'https://electronjs.org/headers'

function say(message) {
  console.log(`[electron-native] ${message}`)
}

function fail(what, why, fix) {
  console.error(`[electron-native] ${what}: ${why}`)
  if (fix) console.error(`[electron-native] ${fix}`)
  process.exit(1)
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch {
    return null
  }
}

// ---- 1. Electron binary ---------------------------------------------------------------------

const electronDir = path.join(modules, 'electron')
const electronVersion = readJson(path.join(electronDir, 'package.json'))?.version
if (!electronVersion) fail('Electron is not installed', `${electronDir} has no package.json`, 'Run: npm install')

function electronBinaryPresent() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return fs.existsSync(process.env.ELECTRON_OVERRIDE_DIST_PATH)
  try {
    const executable = fs.readFileSync(path.join(electronDir, 'path.txt'), 'utf8').trim()
    const version = fs.readFileSync(path.join(electronDir, 'dist', 'version'), 'utf8').trim().replace(/^v/, '')
    return version === electronVersion && fs.existsSync(path.join(electronDir, 'dist', executable))
  } catch {
    return false
  }
}

if (!electronBinaryPresent()) {
  say(`downloading the Electron ${electronVersion} binary...`)
  const result = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { cwd: electronDir, stdio: 'inherit' })
  if (result.status !== 0 || !electronBinaryPresent()) {
    const skipped = process.env.ELECTRON_SKIP_BINARY_DOWNLOAD ? ' (ELECTRON_SKIP_BINARY_DOWNLOAD is set)' : ''
    fail(
      'Could not install the Electron binary',
      `node node_modules/electron/install.js ${result.status === 0 ? 'left no binary' : `exited with ${result.status ?? result.signal}`}${skipped}`,
      'It downloads from GitHub: connect to the network (or set ELECTRON_MIRROR) and run npm start again. ' +
        'The CLI, the web mode and the tests do not need it.',
    )
  }
}

// ---- 2. better-sqlite3 built for Electron ------------------------------------------------------

const sqliteDir = path.join(modules, 'better-sqlite3')
const sqliteVersion = readJson(path.join(sqliteDir, 'package.json'))?.version
if (!sqliteVersion) fail('better-sqlite3 is not installed', `${sqliteDir} has no package.json`, 'Run: npm install')

const wanted = { electron: electronVersion, betterSqlite3: sqliteVersion, platform: process.platform, arch: process.arch }
const current = readJson(manifestFile)
const upToDate =
  current !== null &&
  Object.entries(wanted).every(([key, value]) => current[key] === value) &&
  typeof current.binding === 'string' &&
  fs.existsSync(path.join(root, current.binding))
if (upToDate) {
  say(`Electron ${electronVersion} and its better-sqlite3 ${sqliteVersion} build are in place`)
  process.exit(0)
}

function findNodeGyp() {
  const npmDirs = []
  // npm tells scripts where it lives; otherwise look beside this Node (Unix, then Windows layout).
  if (process.env.npm_execpath) npmDirs.push(path.resolve(path.dirname(process.env.npm_execpath), '..'))
  npmDirs.push(path.resolve(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm'))
  npmDirs.push(path.resolve(path.dirname(process.execPath), 'node_modules', 'npm'))
  const candidates = [
    process.env.npm_config_node_gyp,
    ...npmDirs.map((dir) => path.join(dir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')),
    path.join(modules, 'node-gyp', 'bin', 'node-gyp.js'),
  ]
  return candidates.find((file) => file && fs.existsSync(file)) ?? null
}

const nodeGyp = findNodeGyp()
if (!nodeGyp) {
  fail(
    'Cannot build better-sqlite3 for Electron',
    'node-gyp was not found (it normally ships with npm)',
    'Install it with: npm install -g node-gyp, then run npm start again.',
  )
}

/** Runs a command, echoing its output live and keeping the end of it for the diagnosis. */
function run(command, args, options) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
    let tail = ''
    const keep = (chunk, stream) => {
      stream.write(chunk)
      tail = (tail + chunk.toString()).slice(-20_000)
    }
    child.stdout.on('data', (chunk) => keep(chunk, process.stdout))
    child.stderr.on('data', (chunk) => keep(chunk, process.stderr))
    child.on('error', (err) => resolve({ code: -1, output: `${tail}\n${err.message}` }))
    child.on('close', (code, signal) => resolve({ code: code ?? signal, output: tail }))
  })
}

const target = path.join(outDir, 'better-sqlite3')
const staging = `${target}.building`
fs.rmSync(staging, { recursive: true, force: true })
fs.mkdirSync(outDir, { recursive: true })
// A private copy without the Node build: node-gyp rebuild there cannot touch node_modules/better-sqlite3.
const nodeBuild = path.join(sqliteDir, 'build')
fs.cpSync(sqliteDir, staging, { recursive: true, filter: (src) => src !== nodeBuild && !src.startsWith(nodeBuild + path.sep) })

const headersDir = process.env.TAGSMITH_ELECTRON_HEADERS
const gypArgs = [nodeGyp, 'rebuild', '--release', `--target=${electronVersion}`, `--arch=${process.arch}`, '--runtime=electron']
gypArgs.push(headersDir ? `--nodedir=${path.resolve(headersDir)}` : `--dist-url=${HEADERS_URL}`)
// An npm-wide nodedir (often set for building offline against Node's own headers) would make
// node-gyp compile for Node's ABI while we believe it is Electron's: drop it.
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => key.toLowerCase() !== 'npm_config_nodedir'))

say(`building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (${process.platform}-${process.arch}); this takes a few minutes once`)
const { code, output } = await run(process.execPath, gypArgs, { cwd: staging, env })
if (code !== 0 || !fs.existsSync(path.join(staging, BINDING))) {
  fs.rmSync(staging, { recursive: true, force: true })
  const offline =
    /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|getaddrinfo|socket hang up|network|40[34]/i.test(
      output,
    ) && !headersDir
  const toolchain = /find Python|not found: make|make: not found|No Xcode|Visual Studio|g\+\+: not found|c\+\+: not found/i.test(output)
  fail(
    'Could not build better-sqlite3 for Electron',
    offline
      ? `the Electron ${electronVersion} headers could not be downloaded from ${HEADERS_URL} (offline?)`
      : toolchain
        ? 'a build tool is missing'
        : `node-gyp exited with ${code}`,
    offline
      ? 'Connect to the network and run npm start again, or set TAGSMITH_ELECTRON_HEADERS to a folder of unpacked Electron headers.'
      : toolchain
        ? 'Install Python 3 and a C++ toolchain (Linux: make and g++; macOS: Xcode command line tools; Windows: Visual Studio Build Tools), then run npm start again.'
        : 'See the node-gyp output above.',
  )
}

fs.rmSync(target, { recursive: true, force: true })
fs.renameSync(staging, target)
const manifest = { ...wanted, binding: path.relative(root, path.join(target, BINDING)).split(path.sep).join('/') }
fs.writeFileSync(`${manifestFile}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`)
fs.renameSync(`${manifestFile}.tmp`, manifestFile)
say(`better-sqlite3 for Electron: ${manifest.binding}`)
