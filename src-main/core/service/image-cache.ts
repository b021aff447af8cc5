// How long a browser may keep an image answer, for web mode's server and the Electron image protocol alike.

/**
 * A thumbnail is made from the content hash recorded in the project, so `/image/<id>/thumb?v=<hash8>` names
 * one picture for good: the browser may keep it (private: it came with the access token) and skip asking
 * again when tiles scroll back into view. Without a matching `v` (ids are reused across projects), and for
 * originals (the file may change on disk), the browser revalidates; the ETag keeps that cheap.
 */
export function imageCacheControl(kind: 'thumb' | 'full', version: string | null, hash8: string | null): string {
  return kind === 'thumb' && hash8 !== null && version === hash8 ? 'private, max-age=31536000, immutable' : 'private, no-cache'
}
