// @ts-check
// What compiling better-sqlite3 (C++20) with node-gyp needs on each platform, and which of it this machine
// lacks, named the way that platform installs it. `probe` runs a command, so tests can stand in for one.
import { spawnSync } from 'node:child_process'
import path from 'node:path'

/** @typedef {(command: string, args: string[]) => { ok: boolean, output: string }} Probe */

/** @type {Probe} */
export function probe(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 15_000, windowsHide: true })
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}` }
}

/**
 * node-gyp looks for Python in this order too (an explicit setting, then the usual names).
 * @param {Probe} run
 * @param {NodeJS.ProcessEnv} env
 * @param {string[][]} candidates
 */
function hasPython3(run, env, candidates) {
  const named = [env.npm_config_python, env.PYTHON].flatMap((p) => (p ? [[p]] : []))
  return [...named, ...candidates].some(([command = '', ...prefix]) => {
    const { ok, output } = run(command, [...prefix, '--version'])
    return ok && /Python 3\./.test(output)
  })
}

/**
 * A C++20 compiler on Linux: GCC 11 or newer (or clang 14 or newer when CXX names it).
 * @param {Probe} run
 * @param {NodeJS.ProcessEnv} env
 * @returns {string | null} what is wrong, or null when it will do
 */
function linuxCompilerProblem(run, env) {
  // CXX may carry a wrapper or flags ("ccache g++").
  const [compiler = 'g++', ...flags] = (env.CXX || 'g++').trim().split(/\s+/)
  const { ok, output } = run(compiler, [...flags, '--version'])
  if (!ok) return `${compiler} not found`
  const clang = /clang version (\d+)/.exec(output)
  if (clang) return Number(clang[1]) >= 14 ? null : `found clang ${clang[1]}, needs 14 or newer`
  // GCC 7+ prints its full version for -dumpfullversion; older ones answer -dumpversion.
  const version = run(compiler, [...flags, '-dumpfullversion', '-dumpversion']).output.trim()
  const major = Number(/^(\d+)/.exec(version)?.[1])
  if (major < 11) return `found ${compiler} ${version}`
  return null
}

/**
 * The tools compiling needs and this machine lacks, each named with how to get it here.
 * @param {NodeJS.Platform | string} platform
 * @param {Probe} run
 * @param {NodeJS.ProcessEnv} env
 * @returns {string[]}
 */
export function missingBuildTools(platform, run, env) {
  const missing = []
  if (platform === 'win32') {
    if (!hasPython3(run, env, [['python'], ['py', '-3']]))
      missing.push('Python 3 (https://www.python.org/downloads/)')
    const installer = path.win32.join(
      env['ProgramFiles(x86)'] ?? 'C:\\Program Files (x86)',
      'Microsoft Visual Studio',
      'Installer',
      'vswhere.exe',
    )
    const vs = run(installer, [
      '-latest',
      '-products',
      '*',
      '-requires',
      'Microsoft.VisualStudio.Component.VC.Tools.x86.x64',
      '-property',
      'installationPath',
    ])
    if (!vs.ok || vs.output.trim() === '') {
      missing.push(
        'a C++20 compiler: Visual Studio Build Tools with the "Desktop development with C++" workload (https://visualstudio.microsoft.com/visual-cpp-build-tools/)',
      )
    }
  } else if (platform === 'darwin') {
    if (!run('xcode-select', ['-p']).ok)
      missing.push('a C++20 compiler: the Xcode command line tools (run: xcode-select --install)')
    if (!hasPython3(run, env, [['python3']]))
      missing.push('Python 3 (https://www.python.org/downloads/ or: brew install python)')
  } else {
    if (!hasPython3(run, env, [['python3'], ['python']]))
      missing.push('Python 3 (Debian/Ubuntu: sudo apt install python3; Fedora: sudo dnf install python3)')
    if (!run('make', ['--version']).ok)
      missing.push('make (Debian/Ubuntu: sudo apt install make; Fedora: sudo dnf install make)')
    const problem = linuxCompilerProblem(run, env)
    if (problem) {
      missing.push(
        `a C++20 compiler: GCC 11 or newer (${problem}; Debian/Ubuntu: sudo apt install g++; Fedora: sudo dnf install gcc-c++)`,
      )
    }
  }
  return missing
}
