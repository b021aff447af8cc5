// Which images still lack a cached thumbnail or tint: the quick look that decides whether a project needs
// the background thumbnail job at all.
import { readdir } from 'node:fs/promises'
import { readTints, tintsFile } from './tints.ts'
import { DEFAULT_THUMBNAIL_SIZE, type ThumbnailItem } from './thumbnails.ts'
import path from 'node:path'

/**
 * The items whose thumbnail file or tint is missing. Lists the cache's shard folders (at most 256) instead
 * of asking the file system about each image, and builds no path per image: 11k images cost 256 listings.
 */
export async function missingThumbnails(
  items: readonly ThumbnailItem[],
  cacheDir: string,
  size: number = DEFAULT_THUMBNAIL_SIZE,
): Promise<ThumbnailItem[]> {
  const tints = await readTints(tintsFile(cacheDir, size))
  // thumbnailPath's layout (<first 2 hex>/<hash>-<size>.webp), each name looked up in its shard's listing.
  const shards = [...new Set(items.map((item) => item.hash.slice(0, 2).toLowerCase()))]
  const listed = new Map<string, Set<string>>()
  await Promise.all(
    shards.map(async (shard) => {
      const dir = path.join(cacheDir, shard)
      listed.set(shard, new Set(await readdir(dir).catch(() => [] as string[])))
    }),
  )
  return items.filter((item) => {
    const hash = item.hash.toLowerCase()
    if (!tints.has(hash)) return true
    return !listed.get(hash.slice(0, 2))?.has(`${hash}-${size}.webp`)
  })
}
