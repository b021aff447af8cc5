import { spawn, type ChildProcess } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { expect, test } from './support/test.ts'
import { fixturesRoot, repoRoot } from './support/fixture-server.ts'

// Web mode with no project open: a folder of 12 apparel images in colour_garment folders becomes a project
// through New from folder (typed path, labels from folder names split at '_'), and the grid shows them with
// the labels the folders named; the file that is not an image is listed, in the preview and after. A label
// renamed in the Labels dialog, the export writes train.csv and val.csv into the folder: an index column,
// paths relative to it with '/', one 0/1 column per label under its new name.

const FOLDERS = ['black_dress', 'blue_shirt', 'red_dress']
let dir = ''
let child: ChildProcess | undefined
let url = ''

test.beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tagsmith-e2e-folder-'))
  const source = path.join(fixturesRoot, 'apparel-mini', 'clothes_dataset')
  for (const folder of FOLDERS) {
    mkdirSync(path.join(dir, 'photos', folder), { recursive: true })
    readdirSync(path.join(source, folder))
      .sort()
      .slice(0, 4)
      .forEach((file, i) => copyFileSync(path.join(source, folder, file), path.join(dir, 'photos', folder, `${folder}-${i}.jpg`)))
  }
  writeFileSync(path.join(dir, 'photos', 'notes.txt'), 'not a picture')
  child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'tagsmith.mjs'), 'serve', '--port', '0', '--json'], {
    env: { ...process.env, TAGSMITH_CONFIG_DIR: path.join(dir, 'config') },
    cwd: dir,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child?.stdout ?? process.stdin }).once('line', resolve)
    child?.once('exit', (code) => reject(new Error(`tagsmith serve exited (${code})`)))
  })
  url = (JSON.parse(line) as { url: string }).url
})

test.afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((done) => child?.once('exit', done))
    child.kill('SIGTERM')
    await exited
  }
  rmSync(dir, { recursive: true, force: true })
})

test('a folder of images becomes a project with labels from its folder names', async ({ page }) => {
  await page.goto(url)
  await expect(page.getByTestId('app')).toHaveAttribute('data-state', 'start')
  await page.getByTestId('new-from-folder').click()
  const dialog = page.getByTestId('folder-dialog')
  await dialog.getByTestId('folder-path').fill(path.join(dir, 'photos'))
  await dialog.getByTestId('folder-separator').fill('_')

  const preview = dialog.getByTestId('folder-preview')
  await expect(preview.getByTestId('folder-found')).toContainText('12 images · train 10, val 2, test 0')
  const rows = preview.getByTestId('folder-labels-preview').locator('tr')
  await expect(rows).toHaveText(['black4', 'blue4', 'dress8', 'red4', 'shirt4'])
  await expect(preview.getByTestId('folder-skipped')).toHaveText('notes.txt not an image file (by its name)')

  await dialog.getByTestId('folder-create').click()
  await expect(page.getByTestId('app')).toHaveAttribute('data-state', 'ready')
  await expect(page.getByTestId('folder-dialog')).toBeHidden()
  await expect(page.getByTestId('tile')).toHaveCount(12)
  await expect(page.getByTestId('folder-import-skipped')).toHaveText('Skipped 1 file (not rows):')
  await expect(page.getByRole('option', { name: 'black_dress-0.jpg: black, dress' })).toBeVisible()
  await expect(page.getByRole('option', { name: 'blue_shirt-3.jpg: blue, shirt' })).toBeVisible()

  await test.step('rename red, export into the folder, read the CSVs on disk', async () => {
    await page.getByTestId('open-labels').click()
    const labels = page.getByTestId('labels-dialog')
    await expect(labels.getByTestId('labels-row-3')).toHaveAttribute('data-label', 'red')
    await labels.getByTestId('labels-rename-3').click()
    await labels.getByTestId('labels-rename-input').fill('crimson')
    await labels.getByTestId('labels-rename-save').click()
    await expect(labels.getByTestId('labels-row-3')).toHaveAttribute('data-label', 'crimson')
    await labels.getByTestId('labels-close').click()

    await page.getByTestId('open-export').click()
    await expect(page.getByTestId('export-summary')).toHaveAttribute('data-state', 'ready')
    await page.getByTestId('export-run').click()
    await expect(page.getByTestId('export-run')).toHaveAttribute('data-state', 'confirm')
    await page.getByTestId('export-run').click()
    await expect(page.getByTestId('export-files')).toContainText('val.csv')

    const rows = ['train.csv', 'val.csv'].flatMap((name) => {
      const [header, ...lines] = readFileSync(path.join(dir, 'photos', name), 'utf8').trimEnd().split('\n')
      expect(header, name).toBe(',image,black,blue,dress,crimson,shirt')
      return lines.map((line) => line.split(','))
    })
    expect(rows).toHaveLength(12)
    for (const [index, image, ...cells] of rows) {
      expect(index).toMatch(/^\d+$/)
      const folder = image?.split('/')[0] ?? ''
      const named = folder.split('_').map((l) => (l === 'red' ? 'crimson' : l))
      const expected = ['black', 'blue', 'dress', 'crimson', 'shirt'].map((l) => (named.includes(l) ? '1' : '0'))
      expect(cells, image).toEqual(expected)
    }
  })
})
