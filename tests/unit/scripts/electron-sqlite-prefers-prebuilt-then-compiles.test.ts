import { describe, expect, it } from 'vitest'
import {
  isCurrentBuild,
  prepareSqlite,
  type SqliteSteps,
} from '../../../scripts/electron-native/sqlite-plan.mjs'

const wanted = { electron: '39.8.10', betterSqlite3: '12.6.2', platform: 'linux', arch: 'x64' }

/** Steps that record which ran; each attempt succeeds or fails as asked. */
function standIn(opts: { current?: boolean; download: boolean; compile: boolean; missing?: string[] }): {
  steps: SqliteSteps
  ran: string[]
} {
  const ran: string[] = []
  const attempt = async (name: string, ok: boolean): Promise<{ ok: boolean; output: string }> => {
    ran.push(name)
    return { ok, output: ok ? '' : `${name} failed` }
  }
  const steps: SqliteSteps = {
    isCurrent: () => {
      ran.push('isCurrent')
      return opts.current ?? false
    },
    download: () => attempt('download', opts.download),
    compile: () => attempt('compile', opts.compile),
    missingTools: () => {
      ran.push('missingTools')
      return opts.missing ?? []
    },
  }
  return { steps, ran }
}

describe('getting better-sqlite3 for Electron', () => {
  it('does nothing when a matching build is already in place', async () => {
    const { steps, ran } = standIn({ current: true, download: true, compile: true })
    expect(await prepareSqlite(steps)).toEqual({ outcome: 'current' })
    expect(ran).toEqual(['isCurrent'])
  })

  it('installs the prebuilt binary and compiles nothing when the download works', async () => {
    const { steps, ran } = standIn({ download: true, compile: true })
    expect(await prepareSqlite(steps)).toEqual({ outcome: 'downloaded' })
    expect(ran).toEqual(['isCurrent', 'download'])
  })

  it('compiles with node-gyp when no prebuilt binary can be installed', async () => {
    const { steps, ran } = standIn({ download: false, compile: true })
    expect(await prepareSqlite(steps)).toEqual({ outcome: 'compiled' })
    expect(ran).toEqual(['isCurrent', 'download', 'compile'])
  })

  it('asks what is missing only when both fail, and reports both attempts', async () => {
    const { steps, ran } = standIn({ download: false, compile: false, missing: ['make'] })
    const result = await prepareSqlite(steps)
    expect(ran).toEqual(['isCurrent', 'download', 'compile', 'missingTools'])
    expect(result).toMatchObject({
      outcome: 'failed',
      missing: ['make'],
      download: { ok: false },
      compile: { ok: false },
    })
  })
})

describe('a recorded build is current', () => {
  const binding = 'node_modules/.tagsmith-electron/better-sqlite3/build/Release/better_sqlite3.node'
  const there = (): boolean => true

  it('when Electron, better-sqlite3, platform and arch all match and the binary exists', () => {
    expect(isCurrentBuild({ ...wanted, source: 'prebuilt', binding }, wanted, there)).toBe(true)
  })

  it('not for another Electron, better-sqlite3, platform or arch, nor without its binary', () => {
    for (const [key, value] of [
      ['electron', '38.0.0'],
      ['betterSqlite3', '12.0.0'],
      ['platform', 'darwin'],
      ['arch', 'arm64'],
    ]) {
      expect(isCurrentBuild({ ...wanted, [key as string]: value, binding }, wanted, there), key).toBe(false)
    }
    expect(isCurrentBuild({ ...wanted, binding }, wanted, () => false)).toBe(false)
    expect(isCurrentBuild({ ...wanted }, wanted, there)).toBe(false)
    expect(isCurrentBuild(null, wanted, there)).toBe(false)
  })
})
