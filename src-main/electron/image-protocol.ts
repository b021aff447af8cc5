// tagsmith-image://thumb/<id> and tagsmith-image://full/<id>: images by id, never by path, so the
// renderer cannot ask for arbitrary files.
import { net, protocol } from 'electron'
import { pathToFileURL } from 'node:url'
import { toWireError } from '../core/errors.ts'
import type { Service } from '../core/service/index.ts'
import { fileImageType, imageAnswerHeaders } from '../core/service/content-type.ts'
import { imageCacheControl } from '../core/service/image-cache.ts'
import { IMAGE_SCHEME, parseImageUrl } from './policy.ts'

/** Must run before the app is ready. */
export function registerImageScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: IMAGE_SCHEME, privileges: { standard: true, secure: true, stream: true, supportFetchAPI: false } },
  ])
}

export function serveImages(service: Service): void {
  protocol.handle(IMAGE_SCHEME, async (request) => {
    const target = request.method === 'GET' ? parseImageUrl(request.url) : null
    if (!target) return text(400, 'bad image address')
    try {
      const { file, hash8 } = await service.imageSource(target.id, target.kind)
      const response = await net.fetch(pathToFileURL(file).href)
      return new Response(response.body, {
        status: 200,
        // Typed by content, never by name: a dataset file named .html or .js must not run as a page.
        headers: {
          ...imageAnswerHeaders(await fileImageType(file)),
          'Cache-Control': imageCacheControl(target.kind, target.hash8, hash8),
        },
      })
    } catch (err) {
      const { code, message } = toWireError(err)
      return text(code === 'NOT_FOUND' || code === 'CONFLICT' ? 404 : code === 'BAD_INPUT' ? 422 : 500, message)
    }
  })
}

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
}
