import { execFile } from 'node:child_process'
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchDesktopApp, repoRoot, type DesktopApp } from './harness/desktop-app.ts'

// `Tagsmith dataset.tagsmith` opens that project; its images come through the tagsmith-image:// handler the
// built main process registered; quitting closes the project and ends the process cleanly.

const fixturesRoot = process.env.TAGSMITH_FIXTURES ?? path.resolve(repoRoot, '..', 'shared', 'fixtures')
let dir: string
let project: string

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tagsmith-desktop-open-'))
  const apparel = path.join(fixturesRoot, 'apparel-mini')
  const lines = readFileSync(path.join(apparel, 'train.csv'), 'utf8').split('\n')
  writeFileSync(path.join(dir, 'train.csv'), `${lines.slice(0, 7).join('\n')}\n`)
  symlinkSync(path.join(apparel, 'clothes_dataset'), path.join(dir, 'clothes_dataset'), 'dir')
  project = path.join(dir, 'small.tagsmith')
  await promisify(execFile)(process.execPath, [
    path.join(repoRoot, 'bin', 'tagsmith.mjs'),
    'import',
    path.join(dir, 'train.csv'),
    '--project',
    project,
  ])
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const env = (): NodeJS.ProcessEnv => ({
  TAGSMITH_CONFIG_DIR: path.join(dir, 'config'),
  TAGSMITH_STANDIN_USER_DATA: path.join(dir, 'user-data'),
})

describe('the desktop app started with a project file', () => {
  let app: DesktopApp
  beforeAll(async () => {
    app = await launchDesktopApp({ args: ['--some-chromium-switch', project], env: env() })
  })
  afterAll(async () => {
    await app?.quit()
  })

  it('has the project open before its window asks', async () => {
    const reply = await app.invoke('project:current', [{}], { url: app.windowUrl, isTop: true })
    expect(reply).toMatchObject({ ok: true, value: { ok: true, result: { file: project, imageCount: 6 } } })
  })

  it('serves a thumbnail by id through its image protocol, typed by content', async () => {
    const answer = await app.fetch('tagsmith-image://thumb/1')
    expect(answer?.status).toBe(200)
    expect(answer?.headers['content-type']).toBe('image/webp')
    expect(
      Buffer.from(answer?.body ?? [])
        .subarray(8, 12)
        .toString('latin1'),
    ).toBe('WEBP')
  })

  it('answers a malformed image address with 400 and an unknown id with 404', async () => {
    expect((await app.fetch('tagsmith-image://thumb/../../etc/passwd'))?.status).toBe(400)
    expect((await app.fetch('tagsmith-image://full/999999'))?.status).toBe(404)
  })

  it('quits with exit code 0 when its last window closes', async () => {
    expect(await app.quit()).toBe(0)
  })
})

describe('the desktop app started with a file that is not a project', () => {
  it('says why in an error box and opens on the start screen', async () => {
    const missing = path.join(dir, 'nope.tagsmith')
    const app = await launchDesktopApp({ args: [missing], env: env() })
    try {
      const seen = await app.inspect()
      expect(seen.errorBoxes).toHaveLength(1)
      expect(seen.errorBoxes[0]?.[1]).toContain(missing)
      const reply = await app.invoke('project:current', [{}], { url: app.windowUrl, isTop: true })
      expect(reply).toEqual({ ok: true, value: { ok: true, result: null } })
    } finally {
      await app.quit()
    }
  })
})
