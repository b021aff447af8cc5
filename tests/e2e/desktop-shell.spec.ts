import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fixturesRoot, importAndServe, serveForSuite } from './support/fixture-server.ts'
import { expect, test } from './support/test.ts'

// The desktop shell in Chromium: the built renderer from file://, the built preload through the stand-in
// context bridge, the built main process's handlers behind it (Playwright project 'desktop').

const server = serveForSuite(async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'tagsmith-e2e-shell-'))
  const source = path.join(fixturesRoot, 'apparel-mini')
  const lines = (await readFile(path.join(source, 'train.csv'), 'utf8')).split(/\r?\n/).slice(0, 9)
  const pathCol = (lines[0] ?? '').split(',').indexOf('image')
  for (const line of lines.slice(1)) {
    const rel = line.split(',')[pathCol] ?? ''
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true })
    await copyFile(path.join(source, rel), path.join(dir, rel))
  }
  await writeFile(path.join(dir, 'train.csv'), `${lines.join('\n')}\n`)
  return importAndServe(dir, [path.join(dir, 'train.csv')])
})

interface Api {
  invoke(name: string, input: unknown): Promise<unknown>
}

test('the page gets window.tagsmith and nothing of Node; its CSP runs no inline script', async ({ page }) => {
  await page.goto(server().url)
  await expect(page.getByTestId('app')).toHaveAttribute('data-state', 'ready')
  expect(server().mode).toBe('electron')
  const globals = await page.evaluate(async () => {
    const g = globalThis as unknown as Record<string, unknown>
    const doc = g.document as {
      createElement(tag: string): { textContent: string }
      head: { append(node: unknown): void }
      querySelector(selector: string): { getAttribute(name: string): string | null } | null
    }
    // A file:// page gets no CSP header (Electron sends none for files): its meta tag is the policy.
    const policy =
      doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? ''
    const script = doc.createElement('script')
    script.textContent = 'globalThis.inlineRan = true'
    doc.head.append(script)
    await new Promise((resolve) => setTimeout(resolve, 50))
    return {
      api: Object.keys(g.tagsmith as object).sort(),
      require: typeof g.require,
      process: typeof g.process,
      inlineRan: g.inlineRan === true,
      policy,
    }
  })
  expect(globals).toMatchObject({
    api: ['imageUrl', 'invoke', 'on', 'pathForFile'],
    require: 'undefined',
    process: 'undefined',
    inlineRan: false,
  })
  expect(globals.policy).toMatch(/script-src 'self';/)
  expect(globals.policy).not.toContain('unsafe-eval')
})

test('a request whose payload holds a proxy is refused before it leaves the page', async ({ page }) => {
  await page.goto(server().url)
  await expect(page.getByTestId('app')).toHaveAttribute('data-state', 'ready')
  const direct = await page.evaluate(async () => {
    const api = (globalThis as unknown as { tagsmith: Api }).tagsmith
    const groups = new Proxy([['black', 'blue']], {})
    try {
      await api.invoke('groups:set', { groups })
      return 'sent'
    } catch (err) {
      return (err as Error).message
    }
  })
  expect(direct).toContain('could not be cloned')
  // The project is unchanged: no group was stored.
  const groups = await page.evaluate(async () => {
    const api = (globalThis as unknown as { tagsmith: Api }).tagsmith
    return ((await api.invoke('project:current', {})) as { groups: string[][] }).groups
  })
  expect(groups).toEqual([])
})

test('thumbnails come through the image protocol of the main process', async ({ page }) => {
  await page.goto(server().url)
  await expect(page.getByTestId('app')).toHaveAttribute('data-state', 'ready')
  const first = page.locator('img[src^="tagsmith-image://thumb/"]').first()
  await expect(first).toBeVisible()
  await expect
    .poll(() =>
      first.evaluate((img) => {
        const loaded = img as unknown as { complete: boolean; naturalWidth: number }
        return loaded.complete ? loaded.naturalWidth : 0
      }),
    )
    .toBeGreaterThan(0)
})
