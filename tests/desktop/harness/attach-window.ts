// Makes a Playwright page the desktop app's window: before the page's own scripts run, the built preload
// runs in it with a stand-in of what a sandboxed preload can reach (../stand-in/preload-world.js); its IPC
// goes to the built main process's own handlers, its events come from the main process's webContents.send,
// and tagsmith-image:// requests are answered by the protocol handler the main process registered.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Page } from '@playwright/test'
import type { DesktopApp } from './desktop-app.ts'
import { repoRoot } from './desktop-app.ts'

const preloadBundle = path.join(repoRoot, 'out', 'preload', 'index.cjs')
const preloadWorld = path.join(import.meta.dirname, '..', 'stand-in', 'preload-world.js')

/** The page-side script: the stand-in world, called with the built preload as a CommonJS module body. */
export function preloadScript(): string {
  const preload = readFileSync(preloadBundle, 'utf8')
  return `${readFileSync(preloadWorld, 'utf8')}\ninstallElectronPreloadWorld(function (require, module, exports) {\n${preload}\n});\n`
}

export async function attachWindow(page: Page, app: DesktopApp): Promise<void> {
  await page.exposeBinding('__tagsmithStandInInvoke', async (source, channel: string, args: unknown[]) =>
    app.invoke(channel, args, { url: source.frame.url(), isTop: source.frame.parentFrame() === null }),
  )
  await page.addInitScript({ content: preloadScript() })
  await page.route(
    (url) => url.protocol === 'tagsmith-image:',
    async (route) => {
      const answer = await app.fetch(route.request().url(), route.request().method())
      if (!answer) return route.abort('failed')
      await route.fulfill({ status: answer.status, headers: answer.headers, body: Buffer.from(answer.body) })
    },
  )
  const off = app.onSend((channel, args) => {
    page
      .evaluate(
        ([name, payload]) => {
          const deliver = (
            globalThis as unknown as Record<string, ((c: string, a: unknown[]) => void) | undefined>
          ).__tagsmithStandInDeliver
          deliver?.(name, payload)
        },
        [channel, args] as const,
      )
      .catch(() => {
        // The page is navigating or closed: Electron drops messages to a page that is gone, too.
      })
  })
  page.on('load', () => void app.painted().catch(() => {}))
  page.once('close', off)
}
