// @ts-check
// How `npm start` gets better-sqlite3 for Electron's ABI, free of I/O so tests can drive it with stand-ins:
// keep a build that matches; else download the prebuilt binary better-sqlite3 publishes for this Electron;
// else compile one with node-gyp; else say what is missing, in this platform's words.

/**
 * @typedef {{ ok: boolean, output: string }} Attempt  an attempt's success and the end of its output
 * @typedef {{ electron: string, betterSqlite3: string, platform: string, arch: string }} Wanted
 * @typedef {object} SqliteSteps
 * @property {() => boolean} isCurrent  a build for exactly this Electron, better-sqlite3, platform and arch is in place
 * @property {() => Promise<Attempt>} download  prebuild-install in a copy of better-sqlite3; installs it when ok
 * @property {() => Promise<Attempt>} compile  node-gyp in a copy of better-sqlite3; installs it when ok
 * @property {() => string[]} missingTools  what compiling needs and this machine lacks
 * @typedef {{ outcome: 'current' | 'downloaded' | 'compiled' }
 *   | { outcome: 'failed', download: Attempt, compile: Attempt, missing: string[] }} SqliteOutcome
 */

/**
 * Runs the steps in order and stops at the first that gives a build.
 * @param {SqliteSteps} steps
 * @param {(message: string) => void} [log]
 * @returns {Promise<SqliteOutcome>}
 */
export async function prepareSqlite(steps, log = () => {}) {
  if (steps.isCurrent()) return { outcome: 'current' }
  log('downloading the prebuilt binary')
  const download = await steps.download()
  if (download.ok) return { outcome: 'downloaded' }
  log('no prebuilt binary could be installed: compiling it (a few minutes, once)')
  const compile = await steps.compile()
  if (compile.ok) return { outcome: 'compiled' }
  return { outcome: 'failed', download, compile, missing: steps.missingTools() }
}

/**
 * Whether the recorded build (node_modules/.tagsmith-electron/native.json) is the one wanted and still there.
 * @param {unknown} manifest
 * @param {Wanted} wanted
 * @param {(binding: string) => boolean} exists  `binding` is relative to the project root
 */
export function isCurrentBuild(manifest, wanted, exists) {
  if (typeof manifest !== 'object' || manifest === null) return false
  const recorded = /** @type {Record<string, unknown>} */ (manifest)
  const matches = Object.entries(wanted).every(([key, value]) => recorded[key] === value)
  return matches && typeof recorded.binding === 'string' && exists(recorded.binding)
}

// node-gyp's words when fetching the headers fails (recent versions hide the error code behind the last two).
const NETWORK =
  /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|getaddrinfo|socket hang up|network connectivity|install got an error, rolling back/i

/**
 * prebuild-install's last warning ("No prebuilt binaries found …", a network error), else its last line.
 * @param {string} output
 */
function downloadReason(output) {
  const lines = output
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
  const warning = lines.filter((line) => /^prebuild-install (warn|error) /.test(line)).at(-1)
  return (warning ?? lines.at(-1) ?? 'prebuild-install failed').replace(
    /^prebuild-install (warn|error)\s+(install\s+)?/,
    '',
  )
}

/**
 * The message for a failed outcome: what failed, why, and what to do.
 * @param {{ download: Attempt, compile: Attempt, missing: string[] }} failed
 * @param {{ electron: string, platform: string, arch: string, headersUrl: string, headersDir?: string }} context
 * @returns {{ what: string, why: string, fix: string }}
 */
export function explainFailure(failed, context) {
  const what = `Could not get better-sqlite3 for Electron ${context.electron} (${context.platform}-${context.arch})`
  const noPrebuilt = `no prebuilt binary could be downloaded (${downloadReason(failed.download.output)})`
  if (failed.missing.length > 0) {
    return {
      what,
      why: `${noPrebuilt}, and compiling it needs what this machine lacks:\n${failed.missing.map((tool) => `  - ${tool}`).join('\n')}`,
      fix: 'Install the missing tools, or connect to the network so the prebuilt binary can be downloaded, then run npm start again.',
    }
  }
  if (NETWORK.test(failed.compile.output) && !context.headersDir) {
    return {
      what,
      why: `${noPrebuilt}, and compiling it needs the Electron ${context.electron} headers from ${context.headersUrl}, which could not be downloaded either`,
      fix: 'Connect to the network and run npm start again, or set TAGSMITH_ELECTRON_HEADERS to a folder of unpacked Electron headers.',
    }
  }
  return { what, why: `${noPrebuilt}, and compiling it failed`, fix: 'See the node-gyp output above.' }
}
