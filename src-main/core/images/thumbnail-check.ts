// Which images still lack a cached thumbnail or tint: the quick look that decides whether a project needs
// the background thumbnail job at all.
import { readdir } from 'node:fs/promises'
import { readTints, tintsFile } from './tints.ts'
import { DEFAULT_THUMBNAIL_SIZE, thumbnailPath, type ThumbnailItem } from './thumbnails.ts'
import path from 'node:path'

/**
 * The items whose thumbnail file or tint is missing. Lists the cache's shard folders (at most 256) instead
 * of asking for each file: about 20 ms for 11k cached thumbnails, where a stat per image takes several
 * times that.
 */
export async function missingThumbnails(
  items: readonly ThumbnailItem[],
  cacheDir: string,
  size: number = DEFAULT_THUMBNAIL_SIZE,
): Promise<ThumbnailItem[]> {
  const tints = await readTints(tintsFile(cacheDir, size))
  const listed = new Map<string, Promise<Set<string>>>()
  const shard = (dir: string): Promise<Set<string>> => {
    let names = listed.get(dir)
    if (!names) {
      names = readdir(dir).then(
        (entries) => new Set(entries),
        () => new Set<string>(),
      )
      listed.set(dir, names)
    }
    return names
  }
  const present = await Promise.all(
    items.map(async (item) => {
      if (!tints.has(item.hash.toLowerCase())) return false
      const file = thumbnailPath(cacheDir, item.hash, size)
      return (await shard(path.dirname(file))).has(path.basename(file))
    }),
  )
  return items.filter((_, i) => !present[i])
}
