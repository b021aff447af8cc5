import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { expect, test } from './support/test.ts'
import { repoRoot, screenshotsDir, serveForSuite } from './support/fixture-server.ts'
import { serveApparelSubset } from './support/subset-server.ts'

// Web mode on 6 + 2 apparel images: a team member opens the page with their user token; when their user is
// removed the server closes their socket, and the page stops, saying why, with only Reload left.

const server = serveForSuite(() => serveApparelSubset({ train: 6, val: 2 }))

/** `tagsmith users …` on the served project file, as whoever runs the server would type it. */
async function users(...args: string[]): Promise<string> {
  const { dir, project } = server()
  const env = { ...process.env, TAGSMITH_CONFIG_DIR: path.join(dir, 'config') }
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(repoRoot, 'bin', 'tagsmith.mjs'), 'users', ...args, '--store', project, '--json'], { env, cwd: dir })
  return stdout
}

test("a removed team member's page says their access ended and why", async ({ page }) => {
  const { token } = JSON.parse(await users('add', 'ana')) as { token: string }
  const url = new URL(server().url)
  url.searchParams.set('token', token)
  await page.goto(url.href)
  await expect(page.getByTestId('app')).toHaveAttribute('data-state', 'ready')
  await expect(page.getByTestId('tile')).toHaveCount(8)

  await users('remove', 'ana')
  // The server checks an idle member's token every 2 s.
  const ended = page.getByTestId('connection-ended')
  await expect(ended).toBeVisible({ timeout: 6_000 })
  await expect(page.getByTestId('connection-ended-reason')).toHaveText(
    'Your access to this server ended: your user token no longer works here: the user was removed from this project, or another was opened',
  )
  // Nothing of the app is left behind it to edit with; Reload is.
  await expect(page.getByTestId('tile')).toHaveCount(0)
  await expect(page.getByTestId('connection-ended-reload')).toBeFocused()
  await page.screenshot({ path: path.join(screenshotsDir, 'access-ended.png') })

  // Reloading with the removed token: the server refuses the page itself, saying which.
  await page.getByTestId('connection-ended-reload').click()
  await expect(page.locator('body')).toContainText('names no user of the project')
})
