// Image addresses for the Electron UI. Dependency-free: the sandboxed preload bundles it.
export const IMAGE_SCHEME = 'tagsmith-image'

export function imageUrl(imageId: number, kind: 'thumb' | 'full'): string {
  return `${IMAGE_SCHEME}://${kind}/${imageId}`
}
