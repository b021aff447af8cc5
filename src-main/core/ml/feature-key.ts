// A feature cache key names one part (`backbone:layer+layer`) or, for composite features, every part
// with its own preprocessing version: `key#prep | key#prep | …`. The cache stores parts; readers join them.

export interface FeaturePart {
  key: string
  prep: number
}

const SEPARATOR = ' | '

export function composeKey(parts: readonly FeaturePart[]): string {
  if (parts.length === 1) return (parts[0] as FeaturePart).key
  return parts.map((p) => `${p.key}#${p.prep}`).join(SEPARATOR)
}

/** The parts a key names; a plain key is one part with the prep given beside it. */
export function splitKey(key: string, prep: number): FeaturePart[] {
  if (!key.includes(SEPARATOR)) return [{ key, prep }]
  return key.split(SEPARATOR).map((part) => {
    const at = part.lastIndexOf('#')
    const partPrep = Number(part.slice(at + 1))
    if (at < 0 || !Number.isInteger(partPrep)) throw new Error(`feature key part "${part}" has no preprocessing version`)
    return { key: part.slice(0, at), prep: partPrep }
  })
}
