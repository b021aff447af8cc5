import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { apparelProject, cookieFor, fakeUi, get, serve, tempDir, type Served } from './helpers.ts'

const IMMUTABLE = 'private, max-age=31536000, immutable'

describe('tagsmith serve: image caching', () => {
  const temp = tempDir()
  let served: Served
  let hash8 = ''

  beforeAll(async () => {
    const file = await apparelProject(temp.dir, 2)
    const project = Project.open(file)
    hash8 = project.image(1)?.hash?.slice(0, 8) ?? ''
    project.close()
    served = await serve([file, '--ui', fakeUi(temp.dir)], join(temp.dir, 'config'))
  })
  afterAll(async () => {
    expect(await served.stop()).toBe(0)
    temp.remove()
  })

  it('lets a thumbnail addressed with its content version be kept for good', async () => {
    expect(hash8).toMatch(/^[0-9a-f]{8}$/)
    const answer = await get(served.port, `/image/1/thumb?v=${hash8}`, { cookie: cookieFor(served) })
    expect(answer.status).toBe(200)
    expect(answer.headers['content-type']).toBe('image/webp')
    expect(answer.headers['cache-control']).toBe(IMMUTABLE)
  })

  it('has the browser revalidate without a version, with another one, and for originals', async () => {
    const cookie = cookieFor(served)
    const other = hash8 === '00000000' ? '11111111' : '00000000'
    for (const path of ['/image/1/thumb', `/image/1/thumb?v=${other}`, `/image/1/full?v=${hash8}`, '/image/1/full']) {
      const answer = await get(served.port, path, { cookie })
      expect(answer.status, path).toBe(200)
      expect(answer.headers['cache-control'], path).toBe('private, no-cache')
    }
  })

  it('still wants the token for a versioned address', async () => {
    expect((await get(served.port, `/image/1/thumb?v=${hash8}`)).status).toBe(401)
  })
})
