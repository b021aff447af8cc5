import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { TagsmithError } from '../../errors.ts'
import type { BackboneSpec } from './catalog.ts'

export interface DownloadProgress {
  phase: 'download'
  file: string
  /** bytes received so far, all files */
  done: number
  /** bytes expected so far (grows as each file's size becomes known) */
  total: number
}

/** Where downloaded backbones live: the platform's per-user cache folder. */
export function defaultBackboneCacheDir(): string {
  if (process.env.TAGSMITH_BACKBONE_CACHE) return process.env.TAGSMITH_BACKBONE_CACHE
  const home = os.homedir()
  if (process.platform === 'win32') return path.join(process.env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'Tagsmith', 'Cache', 'backbones')
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'Tagsmith', 'backbones')
  return path.join(process.env.XDG_CACHE_HOME ?? path.join(home, '.cache'), 'tagsmith', 'backbones')
}

const MANIFEST = 'tagsmith-download.json'

interface DownloadManifest {
  url: string
  files: Record<string, string>
}

function sha256(data: Buffer): string {
  return crypto.createHash('sha256').update(data).digest('hex')
}

/** Weight file names must stay inside the model folder: a model.json cannot send us elsewhere. */
function safeRelative(name: string, url: string): string {
  const normal = path.posix.normalize(name)
  if (normal.startsWith('..') || path.posix.isAbsolute(normal) || normal.includes('\\')) {
    throw new TagsmithError('BAD_INPUT', `${url} names a weight file outside its folder: ${name}`)
  }
  return normal
}

async function fetchFile(
  url: string,
  onChunk: (bytes: number, total: number | null) => void,
  signal?: AbortSignal,
): Promise<Buffer> {
  let res: Response
  try {
    res = await fetch(url, signal ? { signal } : {})
  } catch (err) {
    if (signal?.aborted) throw new TagsmithError('CANCELLED', 'download cancelled')
    throw new TagsmithError('UNAVAILABLE', `cannot download ${url}: ${err instanceof Error ? err.message : String(err)}`)
  }
  if (!res.ok || !res.body) throw new TagsmithError('UNAVAILABLE', `cannot download ${url}: HTTP ${res.status}`)
  const lengthHeader = res.headers.get('content-length')
  const total = lengthHeader ? Number(lengthHeader) : null
  const chunks: Buffer[] = []
  const reader = res.body.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(Buffer.from(value))
      onChunk(value.byteLength, total)
    }
  } catch (err) {
    if (signal?.aborted) throw new TagsmithError('CANCELLED', 'download cancelled')
    throw new TagsmithError('UNAVAILABLE', `download of ${url} broke off: ${err instanceof Error ? err.message : String(err)}`)
  }
  return Buffer.concat(chunks)
}

function checkHash(spec: BackboneSpec, file: string, actual: string, url: string): void {
  const expected = spec.sha256?.[file]
  if (expected && expected !== actual) {
    throw new TagsmithError('UNAVAILABLE', `sha256 mismatch for ${file} of backbone ${spec.id} (${url}): expected ${expected}, got ${actual}`)
  }
}

/** A cached copy is used only if every file is present and still has the hash recorded (or catalogued). */
function verifiedCache(spec: BackboneSpec, dir: string): boolean {
  const manifestFile = path.join(dir, MANIFEST)
  if (!fs.existsSync(manifestFile)) return false
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as DownloadManifest
  if (manifest.url !== spec.url) return false
  for (const [file, hash] of Object.entries(manifest.files)) {
    const p = path.join(dir, file)
    if (!fs.existsSync(p)) return false
    const actual = sha256(fs.readFileSync(p))
    if (actual !== hash || (spec.sha256?.[file] && spec.sha256[file] !== actual)) return false
  }
  return true
}

/**
 * Download a URL backbone (model.json and the weight files it names) once into
 * `<cacheDir>/<id>/`, checking each file's sha256 against the catalog. Files the catalog does not
 * pin are pinned at first download and checked on every later use. Returns the folder and whether it
 * came from the cache. Files are written to a temporary folder and renamed when all are verified, so a
 * broken download never leaves a half model behind.
 */
export async function ensureBackboneDownloaded(
  spec: BackboneSpec,
  opts: { cacheDir?: string; onProgress?: (p: DownloadProgress) => void; signal?: AbortSignal } = {},
): Promise<{ dir: string; cached: boolean }> {
  if (spec.source !== 'url' || !spec.url) throw new TagsmithError('BAD_INPUT', `backbone ${spec.id} has no download URL`)
  const url = spec.url
  const cacheDir = opts.cacheDir ?? defaultBackboneCacheDir()
  const dir = path.join(cacheDir, spec.id)
  if (verifiedCache(spec, dir)) return { dir, cached: true }

  let done = 0
  let total = 0
  // Each file's size joins the total when its response headers arrive.
  const download = (file: string, from: string): Promise<Buffer> => {
    let sized = false
    return fetchFile(
      from,
      (bytes, fileTotal) => {
        if (!sized && fileTotal !== null) total += fileTotal
        sized = true
        done += bytes
        opts.onProgress?.({ phase: 'download', file, done, total: Math.max(total, done) })
      },
      opts.signal,
    )
  }
  const files: Record<string, string> = {}
  const tmp = `${dir}.partial-${process.pid}-${Date.now()}`
  fs.mkdirSync(tmp, { recursive: true })
  try {
    const modelJson = await download('model.json', url)
    files['model.json'] = sha256(modelJson)
    checkHash(spec, 'model.json', files['model.json'], url)
    let parsed: { weightsManifest?: Array<{ paths: string[] }> }
    try {
      parsed = JSON.parse(modelJson.toString('utf8')) as typeof parsed
    } catch {
      throw new TagsmithError('UNAVAILABLE', `${url} is not a TF.js model.json`)
    }
    fs.writeFileSync(path.join(tmp, 'model.json'), modelJson)
    const names = (parsed.weightsManifest ?? []).flatMap((g) => g.paths).map((p) => safeRelative(p, url))
    for (const name of names) {
      const data = await download(name, new URL(name, url).toString())
      files[name] = sha256(data)
      checkHash(spec, name, files[name], url)
      fs.mkdirSync(path.dirname(path.join(tmp, name)), { recursive: true })
      fs.writeFileSync(path.join(tmp, name), data)
    }
    const manifest: DownloadManifest = { url, files }
    fs.writeFileSync(path.join(tmp, MANIFEST), JSON.stringify(manifest, null, 2))
    fs.rmSync(dir, { recursive: true, force: true })
    fs.renameSync(tmp, dir)
    return { dir, cached: false }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true })
  }
}
