// Similar images: the images whose cached features point the same way as one image's.

/** One image of the answer and its cosine similarity to the query. */
export interface SimilarItem {
  id: number
  similarity: number
}

export interface SimilarImages {
  /** the query image; also the first item */
  query: number
  /** the run whose features were compared; null before any run (the default backbone's extracted features) */
  runId: number | null
  /** the feature cache key compared */
  featureKey: string
  /** the features' name in the catalog (a preset's or a backbone's), as the Train panel names them */
  features: string
  /** the query first, then the most similar images, most similar first */
  items: SimilarItem[]
  /** images of the project without features under this key: never among the items */
  missing: number
}
