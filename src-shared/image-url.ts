// Image addresses for the Electron UI. Dependency-free: the sandboxed preload bundles it.
export const IMAGE_SCHEME = 'tagsmith-image'

export function imageUrl(imageId: number, kind: 'thumb' | 'full', hash8?: string | null): string {
  const url = `${IMAGE_SCHEME}://${kind}/${imageId}`
  return typeof hash8 === 'string' && /^[0-9a-f]{8}$/.test(hash8) ? `${url}?v=${hash8}` : url
}
