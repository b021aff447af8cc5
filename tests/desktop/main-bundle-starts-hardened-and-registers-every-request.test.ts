import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REQUEST_NAMES } from '../../src-shared/names.ts'
import { launchDesktopApp, repoRoot, type DesktopApp } from './harness/desktop-app.ts'
import type { Snapshot } from './harness/host-protocol.ts'
import { HARDENED_WEB_PREFERENCES } from '../hardened-web-preferences.ts'

// The built out/main/index.js, run in Node with the stand-in Electron: what it registers before and after
// ready, and how it builds its window.

let dir: string
let app: DesktopApp
let seen: Snapshot

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tagsmith-desktop-'))
  app = await launchDesktopApp({
    env: {
      TAGSMITH_CONFIG_DIR: path.join(dir, 'config'),
      TAGSMITH_STANDIN_USER_DATA: path.join(dir, 'user-data'),
    },
  })
  seen = await app.inspect()
})

afterAll(async () => {
  await app?.quit()
  await rm(dir, { recursive: true, force: true })
})

describe('the built main process', () => {
  it('registers one IPC handler for every request name and no other channel', () => {
    expect([...seen.ipcChannels].sort()).toEqual([...REQUEST_NAMES].sort())
  })

  it('registers its image scheme as privileged before ready (the stand-in refuses it later) and serves it after', () => {
    expect(seen.privilegedSchemes).toEqual([
      {
        scheme: 'tagsmith-image',
        privileges: { standard: true, secure: true, stream: true, supportFetchAPI: false },
      },
    ])
    expect(seen.protocolHandlers).toEqual(['tagsmith-image'])
  })

  it('asks for the single-instance lock and sandboxes every renderer before ready', () => {
    expect(seen.singleInstanceLockRequested).toBe(true)
    expect(seen.sandboxEnabled).toBe(true)
  })

  it('opens one window with the hardened preferences, the built preload and the built page', () => {
    expect(seen.windows).toHaveLength(1)
    const [win] = seen.windows
    const prefs = win?.options.webPreferences as Record<string, unknown>
    expect(prefs).toMatchObject({ ...HARDENED_WEB_PREFERENCES, navigateOnDragDrop: false })
    expect(prefs.preload).toBe(path.join(repoRoot, 'out', 'preload', 'index.cjs'))
    expect(existsSync(prefs.preload as string)).toBe(true)
    expect(win?.loaded && fileURLToPath(win.loaded)).toBe(
      path.join(repoRoot, 'out', 'renderer', 'index.html'),
    )
    expect(existsSync(fileURLToPath(app.windowUrl))).toBe(true)
    // Shown once painted, never blank.
    expect(win?.options.show).toBe(false)
  })

  it('refuses navigation, new windows, webviews, permissions and downloads, and sends a CSP header', () => {
    expect(seen.webContents).toHaveLength(1)
    expect(seen.webContents[0]).toMatchObject({ navigationPrevented: true, openAnswer: { action: 'deny' } })
    expect(seen.webContents[0]?.guards).toEqual(
      expect.arrayContaining(['will-navigate', 'will-redirect', 'will-attach-webview']),
    )
    expect(seen.session).toMatchObject({
      permissionRequestGranted: false,
      permissionCheckGranted: false,
      devicePermissionGranted: false,
      downloadsPrevented: true,
    })
    expect(seen.session.headers?.['Content-Security-Policy']?.[0]).toMatch(/script-src 'self';/)
  })

  it('answers requests from its own page and refuses other pages and subframes', async () => {
    const own = await app.invoke('app:info', [{}], { url: app.windowUrl, isTop: true })
    expect(own).toEqual({
      ok: true,
      value: { ok: true, result: { version: expect.any(String), mode: 'electron' } },
    })
    for (const frame of [
      { url: 'https://example.org/', isTop: true },
      { url: app.windowUrl, isTop: false },
    ]) {
      const refused = await app.invoke('app:info', [{}], frame)
      expect(refused).toEqual({
        ok: true,
        value: {
          ok: false,
          error: { code: 'BAD_INPUT', message: 'app:info: refused a request from an untrusted frame' },
        },
      })
    }
  })

  it('runs its jobs in Electron utility processes started from the built worker', async () => {
    const reply = await app.invoke('train:backends', [{}], { url: app.windowUrl, isTop: true })
    expect(reply).toMatchObject({ ok: true, value: { ok: true } })
    const { utilityProcesses } = await app.inspect()
    expect(utilityProcesses.length).toBeGreaterThan(0)
    expect(utilityProcesses[0]?.modulePath).toBe(path.join(repoRoot, 'out', 'main', 'worker.js'))
  })

  it('has no handler for a channel outside the list', async () => {
    expect(await app.invoke('fs:read', [{}], { url: app.windowUrl, isTop: true })).toEqual({
      ok: false,
      error: "No handler registered for 'fs:read'",
    })
  })

  it('builds the application menu', () => {
    expect(seen.menuLabels).toEqual(
      expect.arrayContaining(['&File', '&Open Project…', '&Edit', '&Undo', '&Redo']),
    )
  })
})

describe('a second start', () => {
  it('quits at once when another instance holds the lock, opening no window', async () => {
    const second = await launchDesktopApp({
      noWindow: true,
      env: { TAGSMITH_STANDIN_LOCK_TAKEN: '1', TAGSMITH_CONFIG_DIR: path.join(dir, 'config') },
    })
    expect(await second.exited).toBe(0)
  })
})
