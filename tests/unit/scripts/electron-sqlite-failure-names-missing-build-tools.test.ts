import { describe, expect, it } from 'vitest'
import { missingBuildTools, type Probe } from '../../../scripts/electron-native/build-tools.mjs'
import { explainFailure } from '../../../scripts/electron-native/sqlite-plan.mjs'

/** A machine where only the listed commands answer, with the given output. */
function machine(answers: Record<string, string>): Probe {
  return (command, args) => {
    const key = [command, ...args].join(' ')
    const answer = answers[key] ?? answers[command]
    return answer === undefined
      ? { ok: false, output: `${command}: not found` }
      : { ok: true, output: answer }
  }
}

const linuxTools = {
  'python3 --version': 'Python 3.11.7',
  'make --version': 'GNU Make 4.3',
  'g++ --version': 'g++ (Debian 12.2.0-14) 12.2.0',
  'g++ -dumpfullversion -dumpversion': '12.2.0',
}

describe('what compiling better-sqlite3 needs and this machine lacks', () => {
  it('Linux with Python 3, make and GCC 12 lacks nothing', () => {
    expect(missingBuildTools('linux', machine(linuxTools), {})).toEqual([])
  })

  it('Linux names Python 3, make and the compiler it lacks', () => {
    const missing = missingBuildTools('linux', machine({}), {})
    expect(missing).toHaveLength(3)
    expect(missing[0]).toMatch(/^Python 3 .*apt install python3/)
    expect(missing[1]).toMatch(/^make /)
    expect(missing[2]).toMatch(/^a C\+\+20 compiler: GCC 11 or newer \(g\+\+ not found/)
  })

  it('Linux refuses GCC older than 11 and says which it found', () => {
    const old = {
      ...linuxTools,
      'g++ --version': 'g++ (Ubuntu 9.4.0-1ubuntu1) 9.4.0',
      'g++ -dumpfullversion -dumpversion': '9.4.0',
    }
    expect(missingBuildTools('linux', machine(old), {})).toEqual([
      expect.stringMatching(/GCC 11 or newer \(found g\+\+ 9\.4\.0/),
    ])
  })

  it('Linux takes Python from PYTHON and the compiler from CXX', () => {
    const tools = {
      '/opt/py/bin/python --version': 'Python 3.12.1',
      'make --version': 'GNU Make',
      'clang++-17 --version': 'Debian clang version 17.0.6',
    }
    expect(
      missingBuildTools('linux', machine(tools), { PYTHON: '/opt/py/bin/python', CXX: 'clang++-17' }),
    ).toEqual([])
  })

  it('macOS names the Xcode command line tools', () => {
    expect(missingBuildTools('darwin', machine({ 'python3 --version': 'Python 3.9.6' }), {})).toEqual([
      expect.stringMatching(/Xcode command line tools \(run: xcode-select --install\)/),
    ])
  })

  it('Windows names Visual Studio Build Tools with "Desktop development with C++", and Python 3', () => {
    const missing = missingBuildTools(
      'win32',
      machine({ 'python --version': 'Python was not found', py: '' }),
      {},
    )
    expect(missing).toEqual([
      expect.stringMatching(/^Python 3/),
      expect.stringMatching(/Visual Studio Build Tools with the "Desktop development with C\+\+" workload/),
    ])
    const equipped = machine({
      'python --version': 'Python 3.12.0',
      'C:\\Program Files (x86)\\Microsoft Visual Studio\\Installer\\vswhere.exe': 'C:\\BuildTools\n',
    })
    expect(missingBuildTools('win32', equipped, {})).toEqual([])
  })
})

describe('the message when neither a prebuilt binary nor a compile works', () => {
  const context = {
    electron: '39.8.10',
    platform: 'linux',
    arch: 'x64',
    headersUrl: 'https://electronjs.org/headers',
  }
  const offline = { ok: false, output: 'prebuild-install warn install getaddrinfo ENOTFOUND github.com\n' }

  it('names each missing tool and why the download failed', () => {
    const { what, why, fix } = explainFailure(
      { download: offline, compile: { ok: false, output: '' }, missing: ['make (apt install make)'] },
      context,
    )
    expect(what).toBe('Could not get better-sqlite3 for Electron 39.8.10 (linux-x64)')
    expect(why).toContain('no prebuilt binary could be downloaded (getaddrinfo ENOTFOUND github.com)')
    expect(why).toContain('  - make (apt install make)')
    expect(fix).toMatch(/Install the missing tools/)
  })

  it('with every tool present, says the Electron headers could not be downloaded when offline', () => {
    const nodeGyp12 = [
      'gyp http GET https://electronjs.org/headers/v39.8.10/node-v39.8.10-headers.tar.gz',
      'gyp WARN install got an error, rolling back install',
      'gyp ERR! configure error',
      'gyp ERR! stack Error: This is most likely not a problem with node-gyp or the package itself and',
      'gyp ERR! stack is related to network connectivity. In most cases you are behind a proxy or have bad',
    ].join('\n')
    for (const output of [nodeGyp12, 'gyp ERR! stack Error: getaddrinfo EAI_AGAIN electronjs.org']) {
      const { why, fix } = explainFailure(
        { download: offline, compile: { ok: false, output }, missing: [] },
        context,
      )
      expect(why).toContain('headers from https://electronjs.org/headers, which could not be downloaded')
      expect(fix).toContain('TAGSMITH_ELECTRON_HEADERS')
    }
  })

  it('quotes prebuild-install when no prebuilt binary exists for this Electron', () => {
    const download = {
      ok: false,
      output:
        'prebuild-install warn install No prebuilt binaries found (target=140 runtime=electron arch=x64 libc= platform=linux)',
    }
    const { why } = explainFailure(
      { download, compile: { ok: false, output: 'gyp ERR! build error' }, missing: [] },
      context,
    )
    expect(why).toBe(
      'no prebuilt binary could be downloaded (No prebuilt binaries found (target=140 runtime=electron arch=x64 libc= platform=linux)), and compiling it failed',
    )
  })
})
