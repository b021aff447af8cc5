#!/usr/bin/env node
// Prepares what the desktop app needs before electron-vite starts it (and before `npm run dist` packs it):
//   1. the Electron binary (its download is not run by `npm install`, so installing works offline);
//   2. better-sqlite3 for Electron's ABI, kept apart from the Node build that the CLI, the web mode and
//      the tests load: the prebuilt binary better-sqlite3 publishes for this Electron, else a compile with
//      node-gyp (electron-native/sqlite-plan.mjs decides, electron-native/sqlite-steps.mjs does the work).
// The app finds that build through node_modules/.tagsmith-electron/native.json and passes it to
// better-sqlite3 as `nativeBinding`. Does nothing when both are already in place. Exit code 1, with the
// reason and a fix, on failure.
//
// Environment:
//   TAGSMITH_ELECTRON_HEADERS  folder of unpacked Electron headers, for compiling on machines that cannot
//                              reach https://electronjs.org/headers
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { explainFailure, prepareSqlite } from './electron-native/sqlite-plan.mjs'
import {
  findNodeGyp,
  findPrebuildInstall,
  HEADERS_URL,
  sqliteSteps,
} from './electron-native/sqlite-steps.mjs'

const root = path.resolve(import.meta.dirname, '..')
const modules = path.join(root, 'node_modules')

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
if (!electronVersion)
  fail('Electron is not installed', `${electronDir} has no package.json`, 'Run: npm install')

function electronBinaryPresent() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return fs.existsSync(process.env.ELECTRON_OVERRIDE_DIST_PATH)
  try {
    const executable = fs.readFileSync(path.join(electronDir, 'path.txt'), 'utf8').trim()
    const version = fs
      .readFileSync(path.join(electronDir, 'dist', 'version'), 'utf8')
      .trim()
      .replace(/^v/, '')
    return version === electronVersion && fs.existsSync(path.join(electronDir, 'dist', executable))
  } catch {
    return false
  }
}

if (!electronBinaryPresent()) {
  say(`downloading the Electron ${electronVersion} binary...`)
  const result = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], {
    cwd: electronDir,
    stdio: 'inherit',
  })
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
if (!sqliteVersion)
  fail('better-sqlite3 is not installed', `${sqliteDir} has no package.json`, 'Run: npm install')

const wanted = {
  electron: electronVersion,
  betterSqlite3: sqliteVersion,
  platform: process.platform,
  arch: process.arch,
}
const headersDir = process.env.TAGSMITH_ELECTRON_HEADERS
const steps = sqliteSteps({
  root,
  wanted,
  prebuildInstall: findPrebuildInstall(root),
  nodeGyp: findNodeGyp(root, process.env),
  headersDir,
  env: process.env,
})
const label = `better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (${process.platform}-${process.arch})`
const result = await prepareSqlite(steps, (step) => say(`${label}: ${step}`))
if (result.outcome === 'failed') {
  const { what, why, fix } = explainFailure(result, { ...wanted, headersUrl: HEADERS_URL, headersDir })
  fail(what, why, fix)
} else if (result.outcome === 'current') {
  say(`Electron ${electronVersion} and its better-sqlite3 ${sqliteVersion} build are in place`)
} else {
  say(`${label}: ${result.outcome === 'downloaded' ? 'installed the prebuilt binary' : 'compiled'}`)
}
