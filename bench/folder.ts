// Folder import figures: the apparel fixture's 1,167 images in their colour_garment folders (hard links
// in a temp folder), previewed and imported with labels from folder names split at '_'. Files are read
// from a warm page cache (the second of two imports is measured).
import { copyFileSync, linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { importFolder, previewFolder } from '../src-main/core/dataset/folder-import.ts'

const fixturesDir = (): string => process.env.TAGSMITH_FIXTURES ?? resolve(import.meta.dirname, '..', '..', 'shared', 'fixtures')

/** The fixture's image folders linked (or copied) into dir/images; returns that folder. */
function linkFixtureFolders(dir: string): string {
  const source = join(fixturesDir(), 'apparel-mini', 'clothes_dataset')
  const root = join(dir, 'images')
  for (const folder of readdirSync(source)) {
    mkdirSync(join(root, folder), { recursive: true })
    for (const file of readdirSync(join(source, folder))) {
      try {
        linkSync(join(source, folder, file), join(root, folder, file))
      } catch {
        copyFileSync(join(source, folder, file), join(root, folder, file))
      }
    }
  }
  return root
}

export async function bench(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'tagsmith-bench-folder-'))
  try {
    const root = linkFixtureFolders(dir)
    const options = { dir: root, labelsFromFolders: true, separator: '_' }
    let t = performance.now()
    const preview = await previewFolder(options)
    const previewMs = performance.now() - t
    await importFolder({ ...options, projectFile: join(dir, 'warm.tagsmith') })
    t = performance.now()
    const { report } = await importFolder({ ...options, projectFile: join(dir, 'p.tagsmith') })
    const seconds = (performance.now() - t) / 1000
    return {
      folderImport: {
        images: report.rows,
        labels: report.labels.length,
        previewMs: Number(previewMs.toFixed(1)),
        previewImages: preview.images,
        importSeconds: Number(seconds.toFixed(3)),
        imagesPerSecond: Math.round(report.rows / seconds),
      },
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
