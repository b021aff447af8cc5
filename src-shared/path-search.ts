// The search box's rule, one for every place that searches image paths: the words of the search may come
// in any order and anywhere in the path ("shoes black" finds "black_shoes/001.jpg"), case-insensitive. A
// double-quoted phrase is one word, spaces and all ("\"black shoes\"" finds "black shoes/…" only).

/** The lower-cased words of a search; an unclosed quote runs to the end. Empty words are dropped. */
export function searchTerms(search: string): string[] {
  const terms: string[] = []
  const text = search.toLowerCase()
  let i = 0
  while (i < text.length) {
    const c = text[i] ?? ''
    if (/\s/.test(c)) {
      i++
      continue
    }
    if (c === '"') {
      const end = text.indexOf('"', i + 1)
      const stop = end < 0 ? text.length : end
      const phrase = text.slice(i + 1, stop)
      if (phrase.trim() !== '') terms.push(phrase)
      i = stop + 1
      continue
    }
    let j = i
    while (j < text.length && !/\s/.test(text[j] ?? '') && text[j] !== '"') j++
    terms.push(text.slice(i, j))
    i = j
  }
  return terms
}

/** Whether every term occurs in the (already lower-cased) path. No terms: every path matches. */
export function pathMatches(lowerPath: string, terms: readonly string[]): boolean {
  for (const t of terms) if (!lowerPath.includes(t)) return false
  return true
}

/** The rule in one call, for a path as written. */
export function matchesSearch(path: string, search: string): boolean {
  return pathMatches(path.toLowerCase(), searchTerms(search))
}
