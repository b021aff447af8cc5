import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { apparelProject, newService } from './helpers.ts'

describe('Service.imageFile', () => {
  it('makes the thumbnail in <project>.cache and returns the original for full', async () => {
    const file = await apparelProject(3)
    const service = newService()
    await service.request('project:open', { file })
    const thumb = await service.imageFile(1, 'thumb')
    expect(thumb.startsWith(join(dirname(file), 'subset.tagsmith.cache'))).toBe(true)
    const meta = await sharp(thumb).metadata()
    expect(meta.format).toBe('webp')
    expect(Math.max(meta.width, meta.height)).toBe(256)
    const full = await service.imageFile(1, 'full')
    expect(full).toBe(service.project?.imagePath(1))
    expect(readFileSync(full).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]))
  })

  it('answers unknown ids NOT_FOUND and refuses without a project', async () => {
    const service = newService()
    await expect(service.imageFile(1, 'full')).rejects.toMatchObject({ code: 'CONFLICT' })
    await service.request('project:open', { file: await apparelProject(2) })
    await expect(service.imageFile(3, 'thumb')).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'no image with id 3' })
  })
})
