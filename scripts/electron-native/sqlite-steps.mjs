// @ts-check
// The real steps behind sqlite-plan.mjs. Each attempt works in a private copy of better-sqlite3 without its
// Node build, so node_modules/better-sqlite3 (loaded by the CLI, web mode and tests) is never touched. A
// build that works is moved to node_modules/.tagsmith-electron/better-sqlite3 and recorded in native.json:
//   { "electron", "betterSqlite3", "platform", "arch", "source": "prebuilt" | "compiled",
//     "binding": "node_modules/.tagsmith-electron/better-sqlite3/build/Release/better_sqlite3.node" }
// ("binding" is relative to the project root; electron-builder.ts ships that file with packaged apps).
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { missingBuildTools, probe } from './build-tools.mjs'
import { isCurrentBuild } from './sqlite-plan.mjs'

/** @typedef {import('./sqlite-plan.mjs').Wanted} Wanted */
/** @typedef {import('./sqlite-plan.mjs').Attempt} Attempt */
/** @typedef {import('./sqlite-plan.mjs').SqliteSteps} SqliteSteps */

export const BINDING = 'build/Release/better_sqlite3.node'
export const OUT_DIR = 'node_modules/.tagsmith-electron'
export const HEADERS_URL = 'https://electronjs.org/headers'

/**
 * Runs a command, optionally echoing its output live, and keeps the end of it for the diagnosis.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd: string, env: NodeJS.ProcessEnv, echo: boolean }} options
 * @returns {Promise<{ code: number | string | null, output: string }>}
 */
export function run(command, args, { cwd, env, echo }) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true })
    let tail = ''
    /** @param {Buffer} chunk @param {NodeJS.WriteStream} stream */
    const keep = (chunk, stream) => {
      if (echo) stream.write(chunk)
      tail = (tail + chunk.toString()).slice(-20_000)
    }
    child.stdout.on('data', (chunk) => keep(chunk, process.stdout))
    child.stderr.on('data', (chunk) => keep(chunk, process.stderr))
    child.on('error', (err) => resolve({ code: -1, output: `${tail}\n${err.message}` }))
    child.on('close', (code, signal) => resolve({ code: code ?? signal, output: tail }))
  })
}

/**
 * node-gyp ships inside npm: find it beside the npm running us, beside this Node, or installed locally.
 * @param {string} root
 * @param {NodeJS.ProcessEnv} env
 * @returns {string | null}
 */
export function findNodeGyp(root, env) {
  const npmDirs = []
  if (env.npm_execpath) npmDirs.push(path.resolve(path.dirname(env.npm_execpath), '..'))
  npmDirs.push(path.resolve(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm')) // Unix layout
  npmDirs.push(path.resolve(path.dirname(process.execPath), 'node_modules', 'npm')) // Windows layout
  const candidates = [
    env.npm_config_node_gyp,
    ...npmDirs.map((dir) => path.join(dir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')),
    path.join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ]
  return candidates.find((file) => file && fs.existsSync(file)) ?? null
}

/**
 * prebuild-install's command line script, from the project's own dependencies.
 * @param {string} root
 * @returns {string | null}
 */
export function findPrebuildInstall(root) {
  try {
    return createRequire(path.join(root, 'package.json')).resolve('prebuild-install/bin.js')
  } catch {
    return null
  }
}

/**
 * @typedef {object} StepOptions
 * @property {string} root  the project folder
 * @property {Wanted} wanted
 * @property {string | null} prebuildInstall  prebuild-install's bin.js, or null when it is not installed
 * @property {string | null} nodeGyp  node-gyp's bin/node-gyp.js, or null when it was not found
 * @property {string} [headersDir]  unpacked Electron headers, for compiling offline
 * @property {NodeJS.ProcessEnv} env
 * @property {import('./build-tools.mjs').Probe} [probeTool]
 * @property {boolean} [echo]  show the tools' output as they run (default true)
 */

/**
 * @param {StepOptions} options
 * @returns {SqliteSteps}
 */
export function sqliteSteps({
  root,
  wanted,
  prebuildInstall,
  nodeGyp,
  headersDir,
  env,
  probeTool = probe,
  echo = true,
}) {
  const sqliteDir = path.join(root, 'node_modules', 'better-sqlite3')
  const outDir = path.join(root, OUT_DIR)
  const target = path.join(outDir, 'better-sqlite3')
  const staging = `${target}.staging`
  const manifestFile = path.join(outDir, 'native.json')
  // An npm-wide nodedir (often set to build offline against Node's own headers) would make node-gyp
  // compile for Node's ABI while we believe it is Electron's: drop it.
  const childEnv = Object.fromEntries(
    Object.entries(env).filter(([key]) => key.toLowerCase() !== 'npm_config_nodedir'),
  )

  /**
   * Runs one tool in a fresh copy of better-sqlite3 and installs the copy if it produced the binding.
   * @param {'prebuilt' | 'compiled'} source
   * @param {string[]} args  arguments to Node: the tool's script first
   * @returns {Promise<Attempt>}
   */
  async function attempt(source, args) {
    fs.rmSync(staging, { recursive: true, force: true })
    fs.mkdirSync(outDir, { recursive: true })
    const nodeBuild = path.join(sqliteDir, 'build')
    fs.cpSync(sqliteDir, staging, {
      recursive: true,
      filter: (src) => src !== nodeBuild && !src.startsWith(nodeBuild + path.sep),
    })
    const { code, output } = await run(process.execPath, args, { cwd: staging, env: childEnv, echo })
    if (code !== 0 || !fs.existsSync(path.join(staging, BINDING))) {
      fs.rmSync(staging, { recursive: true, force: true })
      return { ok: false, output: code === 0 ? `${output}\nno ${BINDING} was produced` : output }
    }
    fs.rmSync(target, { recursive: true, force: true })
    fs.renameSync(staging, target)
    const manifest = {
      ...wanted,
      source,
      binding: path.relative(root, path.join(target, BINDING)).split(path.sep).join('/'),
    }
    fs.writeFileSync(`${manifestFile}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`)
    fs.renameSync(`${manifestFile}.tmp`, manifestFile)
    return { ok: true, output }
  }

  return {
    isCurrent() {
      let manifest = null
      try {
        manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'))
      } catch {
        // none yet
      }
      return isCurrentBuild(manifest, wanted, (binding) => fs.existsSync(path.join(root, binding)))
    },
    async download() {
      if (!prebuildInstall)
        return { ok: false, output: 'prebuild-install is not installed (run npm install)' }
      const { electron, platform, arch } = wanted
      return attempt('prebuilt', [
        prebuildInstall,
        '--runtime',
        'electron',
        '--target',
        electron,
        '--arch',
        arch,
        '--platform',
        platform,
      ])
    },
    async compile() {
      if (!nodeGyp) return { ok: false, output: 'node-gyp was not found' }
      const args = [
        nodeGyp,
        'rebuild',
        '--release',
        `--target=${wanted.electron}`,
        `--arch=${wanted.arch}`,
        '--runtime=electron',
      ]
      args.push(headersDir ? `--nodedir=${path.resolve(headersDir)}` : `--dist-url=${HEADERS_URL}`)
      return attempt('compiled', args)
    },
    missingTools() {
      const gyp = nodeGyp ? [] : ['node-gyp (it ships with npm; or: npm install -g node-gyp)']
      return [...gyp, ...missingBuildTools(wanted.platform, probeTool, env)]
    },
  }
}
