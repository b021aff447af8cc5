import { realpathSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { apparelProject, newService } from './helpers.ts'

describe('image:reveal', () => {
  it('hands the shell the image file inside the dataset folder, by id', async () => {
    const revealed: string[] = []
    const service = newService({ mode: 'electron', reveal: (file) => void revealed.push(file) })
    await service.request('project:open', { file: await apparelProject(3) })
    expect(await service.handle('image:reveal', { id: 2 })).toEqual({ ok: true, result: null })
    expect(revealed).toEqual([service.project?.imagePath(2)])
    expect(realpathSync(revealed[0] ?? '')).toMatch(/\.(jpe?g|png|webp)$/i)
  })

  it('answers NOT_FOUND for an unknown id and UNAVAILABLE where there is no shell (web mode)', async () => {
    const revealed: string[] = []
    const desktop = newService({ mode: 'electron', reveal: (file) => void revealed.push(file) })
    await desktop.request('project:open', { file: await apparelProject(2) })
    expect(await desktop.handle('image:reveal', { id: 3 })).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'no image with id 3' } })
    const web = newService()
    await web.request('project:open', { file: await apparelProject(2) })
    const answer = await web.handle('image:reveal', { id: 1 })
    expect(answer).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } })
    expect(revealed).toEqual([])
  })
})
