// Child-process job: fill the thumbnail cache (and the tints beside it) for the images that lack one, at
// the lowest CPU priority. Thumbnails already written stay when it is cancelled; the next pass resumes.
import { generateThumbnails, type ThumbnailBatchResult, type ThumbnailItem } from '../../images/thumbnails.ts'
import { lowerOwnPriority } from '../background-priority.ts'
import type { JobContext } from '../protocol.ts'

export interface ThumbnailsJobInput {
  items: ThumbnailItem[]
  cacheDir: string
  size: number
  /** images in flight at once (default: one per core) */
  concurrency?: number
}

export type ThumbnailsJobResult = Omit<ThumbnailBatchResult, 'failed'> & { failed: number }

export async function run(input: ThumbnailsJobInput, ctx: JobContext): Promise<ThumbnailsJobResult> {
  lowerOwnPriority()
  const result = await generateThumbnails(input.items, {
    cacheDir: input.cacheDir,
    size: input.size,
    concurrency: input.concurrency,
    fillTints: true,
    signal: ctx.signal,
    onProgress: ({ done, total }) => ctx.progress({ phase: 'making thumbnails', done, total }),
  })
  // Images that cannot be read are flagged by the import already; the count is enough here.
  return { ...result, failed: result.failed.length }
}
