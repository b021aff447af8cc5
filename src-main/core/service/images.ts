// The service's image requests: the grid's rows, and the file behind a thumbnail or full-size URL.
import type { ImageRow } from '../../../src-preload/contract.ts'
import type { Project } from '../dataset/project.ts'
import { TagsmithError } from '../errors.ts'
import { thumbnailFor } from '../images/thumbnails.ts'
import { readTints, tintsFile } from '../images/tints.ts'
import type { HandlerTable } from './handler-table.ts'
import { requireOpen } from './open-project.ts'
import { toImageRow } from './rows.ts'

const THUMBNAIL_SIZE = 256

export interface ImageServiceOptions {
  /** The project open in the service, if any. */
  project: () => Project | null
  thumbnailSize?: number
  /** Shows a file in the system's file manager: the desktop shell has one, web mode does not. */
  reveal?: (file: string) => void | Promise<void>
}

export class ImageService {
  readonly #options: ImageServiceOptions
  #rows: { dataVersion: number; rows: ImageRow[] } | null = null

  constructor(options: ImageServiceOptions) {
    this.#options = options
  }

  readonly handlers: HandlerTable<'images:list' | 'images:tints' | 'image:reveal'> = {
    'images:list': async () => this.#imageRows(),
    'images:tints': async () => this.#tints(),
    'image:reveal': async ({ id }) => {
      const reveal = this.#options.reveal
      if (!reveal) throw new TagsmithError('UNAVAILABLE', 'showing a file in its folder needs the desktop app')
      const project = this.#requireProject()
      const record = project.image(id)
      if (!record) throw new TagsmithError('NOT_FOUND', `no image with id ${id}`)
      // Only a file that exists inside the dataset's folder (imagePath answers null for any other).
      const file = project.imagePath(id)
      if (file === null) throw new TagsmithError('NOT_FOUND', `image ${id} (${record.path}) is ${record.status}`)
      await reveal(file)
      return null
    },
  }

  /**
   * Drops the kept rows: after an edit through this service (which SQLite's data_version does not
   * count, being made on the same connection) or when another project opens.
   */
  forget(): void {
    this.#rows = null
  }

  /**
   * The file to send for an image and its rows' `hash8` (the start of its content hash), which a transport
   * compares with the one in the address before letting the answer be cached for good.
   */
  async imageSource(imageId: number, kind: 'thumb' | 'full'): Promise<{ file: string; hash8: string | null }> {
    const project = this.#requireProject()
    const record = project.image(imageId)
    if (!record) throw new TagsmithError('NOT_FOUND', `no image with id ${imageId}`)
    const file = project.imagePath(imageId)
    if (file === null) {
      throw new TagsmithError('NOT_FOUND', `image ${imageId} (${record.path}) is ${record.status}`)
    }
    const hash8 = toImageRow(record).hash8
    if (kind === 'full') return { file, hash8 }
    if (record.hash === null) throw new TagsmithError('NOT_FOUND', `image ${imageId} (${record.path}) has no content hash`)
    const thumb = await thumbnailFor(file, record.hash, `${project.file}.cache`, this.#options.thumbnailSize ?? THUMBNAIL_SIZE)
    return { file: thumb, hash8 }
  }

  /**
   * Every row, read once and kept until an edit through this service or a commit by another connection
   * (the CLI, a training process) changes the file: SQLite's data_version tells the latter. A reload of the
   * page then costs no pass over 11k rows.
   */
  #imageRows(): ImageRow[] {
    const project = this.#requireProject()
    const dataVersion = Number(project.db.pragma('data_version', { simple: true }))
    if (this.#rows?.dataVersion !== dataVersion) this.#rows = { dataVersion, rows: project.images().map(toImageRow) }
    return this.#rows.rows
  }

  /**
   * The tints recorded so far for the rows' images, read afresh each time (the background job adds to them):
   * about 26 bytes an image, 290 KB for 11k, asked once after the rows and again when the job ends.
   */
  async #tints(): Promise<string> {
    const project = this.#requireProject()
    const tints = await readTints(tintsFile(`${project.file}.cache`, this.#options.thumbnailSize ?? THUMBNAIL_SIZE))
    const hashes = project.db.prepare('SELECT DISTINCT hash FROM images WHERE hash IS NOT NULL').pluck().all() as string[]
    const records: string[] = []
    for (const hash of hashes) {
      const tint = tints.get(hash)
      if (tint !== undefined) records.push(hash.slice(0, 8) + tint)
    }
    return records.join('')
  }

  #requireProject(): Project {
    return requireOpen(this.#options.project())
  }
}
