// Finds the installed package (the folder of Tagsmith's package.json) from wherever this module runs:
// the TypeScript sources under tsx or a compiled copy.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

export function packageRoot(from: string = import.meta.dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json')
    if (existsSync(manifest) && readManifest(manifest).name === 'tagsmith') return dir
    if (dirname(dir) === dir) throw new Error(`cannot find Tagsmith's package.json above ${from}`)
  }
}

export function packageVersion(root: string = packageRoot()): string {
  return readManifest(join(root, 'package.json')).version ?? '0.0.0'
}

/** The built renderer (`npm run build` writes it). */
export function defaultUiDir(root: string = packageRoot()): string {
  return join(root, 'out', 'renderer')
}

function readManifest(file: string): { name?: string; version?: string } {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'))
    return typeof parsed === 'object' && parsed !== null ? (parsed as { name?: string; version?: string }) : {}
  } catch {
    return {}
  }
}
