// A new project from a folder of images. The rows become CSV text in memory, one source per split
// (train.csv, val.csv, test.csv in the folder), read by the CSV import's own parser and stored like any
// import, so export, stats and training treat the project like one imported from those files.
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { FolderImportOptions, FolderImportReport, FolderPreview, SkippedFile } from '../../../src-preload/contract.ts'
import { TagsmithError } from '../errors.ts'
import { parseSource } from './csv-source.ts'
import { folderCsvText } from './folder-csv.ts'
import { FOLDER_LABELS_SETTING, FOLDER_ROOT_SETTING, planFolder, type FolderRow } from './folder-plan.ts'
import { IMAGE_EXTENSIONS, scanFolder } from './folder-scan.ts'
import { missingEndMarker } from './image-end.ts'
import { indexImages, type IndexedImage } from './image-index.ts'
import { DEFAULT_PROJECT_NAME, importIndexedSources } from './import.ts'
import { SPLITS, type Split } from './types.ts'

export interface FolderProgress {
  phase: 'finding images' | 'hashing images'
  done: number
  /** 0 while finding: the count is not known before. */
  total: number
}

export interface FolderImportInput extends FolderImportOptions {
  /** Default: dataset.tagsmith in the folder. */
  projectFile?: string
  replace?: boolean
  onProgress?: (p: FolderProgress) => void
  signal?: AbortSignal
}

const PREVIEW_SKIPPED = 20
const bySkippedPath = (a: SkippedFile, b: SkippedFile): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)
const REPORT_LIST = 1000

/** The labels, counts and splits an import would make, from the folder's listing alone (no image is read). */
export async function previewFolder(options: FolderImportOptions, signal?: AbortSignal): Promise<FolderPreview> {
  const scan = await scanFolder(options.dir, { signal })
  const skipped = [...scan.skipped]
  const empty = { dir: scan.root, images: 0, labels: [], unlabelled: 0, splits: { train: 0, val: 0, test: 0 } }
  if (scan.images.length === 0) return { ...empty, skipped: skipped.slice(0, PREVIEW_SKIPPED), skippedCount: skipped.length }
  const plan = planFolder(scan.images, options)
  skipped.push(...plan.skipped)
  skipped.sort(bySkippedPath)
  const counts = plan.labels.map(() => 0)
  const splits: Record<Split, number> = { train: 0, val: 0, test: 0 }
  for (const row of plan.rows) {
    splits[row.split]++
    row.values.forEach((v, i) => {
      if (v === 1) counts[i] = (counts[i] as number) + 1
    })
  }
  return {
    dir: scan.root,
    images: plan.rows.length,
    labels: plan.labels.map((name, i) => ({ name, count: counts[i] as number })),
    unlabelled: plan.unlabelled,
    splits,
    skipped: skipped.slice(0, PREVIEW_SKIPPED),
    skippedCount: skipped.length,
  }
}

/**
 * Finds, hashes and checks the folder's images, then writes a new project. Files that are not images,
 * cannot be read, are empty or cut off are skipped and listed; bad options and a folder without a
 * readable image throw before a project file exists.
 */
export async function importFolder(input: FolderImportInput): Promise<{ file: string; report: FolderImportReport }> {
  const dir = resolve(input.dir)
  const projectFile = resolve(input.projectFile ?? join(dir, DEFAULT_PROJECT_NAME))
  if (existsSync(projectFile) && !input.replace) {
    throw new TagsmithError('CONFLICT', `project file ${projectFile} already exists; open it, or choose to replace it`)
  }
  const { onProgress, signal } = input
  const scan = await scanFolder(dir, { signal, onProgress: (seen) => onProgress?.({ phase: 'finding images', done: seen, total: 0 }) })
  if (scan.images.length === 0) throw noImages(scan.root, scan.skipped)
  planFolder(scan.images, input) // bad labels or split options are refused before any image is read

  // A file whose signature is an image's but whose last bytes lack its format's end marker is cut off.
  const checked = await indexImages(
    scan.images.map((i) => i.abs),
    {
      signal,
      onProgress: (p) => onProgress?.({ phase: 'hashing images', ...p }),
      check: (content, kind) => {
        const missing = missingEndMarker(kind, content.subarray(-16))
        return missing === null ? null : `truncated: ${missing}`
      },
    },
  )
  const good = scan.images.filter((_, i) => checked[i]?.status === 'ok')
  const skipped = [...scan.skipped]
  scan.images.forEach((image, i) => {
    const idx = checked[i] as IndexedImage
    if (idx.status !== 'ok') skipped.push({ path: image.rel, reason: idx.reason ?? idx.status })
  })
  if (good.length === 0) throw noImages(scan.root, skipped)
  const plan = planFolder(good, input)
  skipped.push(...plan.skipped)
  if (plan.rows.length === 0) throw noImages(scan.root, skipped)
  if (signal?.aborted) throw new TagsmithError('CANCELLED', 'import cancelled')

  const byPath = new Map<string, IndexedImage>()
  scan.images.forEach((image, i) => byPath.set(image.abs, checked[i] as IndexedImage))
  const sources = SPLITS.flatMap((split) => {
    const rows = plan.rows.filter((r) => r.split === split)
    if (rows.length === 0) return []
    const file = join(scan.root, `${split}.csv`)
    return [parseSource(file, Buffer.from(folderCsvText(plan.labels, rows), 'utf8'))]
  })
  const report = importIndexedSources({
    projectFile,
    replace: input.replace ?? false,
    sources,
    imagesDir: scan.root,
    indexed: byPath,
    settings: {
      [FOLDER_ROOT_SETTING]: scan.root,
      [FOLDER_LABELS_SETTING]: { fromFolders: input.labelsFromFolders ?? false, separator: input.separator ?? null, split: input.split ?? null },
    },
  })
  const duplicates = duplicateGroups(plan.rows, byPath)
  skipped.sort(bySkippedPath)
  return {
    file: projectFile,
    report: {
      ...report,
      dir: scan.root,
      skipped: skipped.slice(0, REPORT_LIST),
      skippedCount: skipped.length,
      // A few paths of each group say enough: a folder of 100,000 copies must not make a 100,000-path answer.
      duplicates: duplicates.slice(0, REPORT_LIST).map((g) => g.slice(0, 20)),
      duplicateCount: duplicates.length,
    },
  }
}

/** Paths of rows with the same content, in row order, groups in the order of their first row. */
function duplicateGroups(rows: readonly FolderRow[], byPath: ReadonlyMap<string, IndexedImage>): string[][] {
  const byHash = new Map<string, string[]>()
  for (const row of rows) {
    const hash = byPath.get(row.abs)?.hash
    if (!hash) continue
    const group = byHash.get(hash)
    if (group) group.push(row.rel)
    else byHash.set(hash, [row.rel])
  }
  return [...byHash.values()].filter((g) => g.length > 1)
}

function noImages(root: string, skipped: readonly SkippedFile[]): TagsmithError {
  const kinds = IMAGE_EXTENSIONS.map((e) => e.slice(1)).join(', ')
  if (skipped.length === 0) return new TagsmithError('BAD_INPUT', `no images in ${root} (looked for ${kinds}, in every folder below it)`)
  const first = skipped.slice(0, 3).map((s) => `${s.path}: ${s.reason}`).join('; ')
  return new TagsmithError('BAD_INPUT', `no readable images in ${root}: ${skipped.length} file${skipped.length === 1 ? '' : 's'} skipped (${first}${skipped.length > 3 ? '; …' : ''})`)
}
