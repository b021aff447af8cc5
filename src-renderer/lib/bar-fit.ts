/**
 * How many of a bar's collapsible items go into its More menu so the rest fits: `items` are their widths
 * (each with its gap) in the order they give way, `fixed` the width of what always stays (flexible parts
 * at their least), `more` the More button's width. None when everything fits; otherwise the fewest that
 * leave room for the More button too; all of them when even that is not enough.
 */
export function itemsToCollapse(available: number, fixed: number, items: readonly number[], more: number): number {
  let rest = items.reduce((sum, w) => sum + w, 0)
  if (fixed + rest <= available) return 0
  for (let k = 1; k <= items.length; k++) {
    rest -= items[k - 1] ?? 0
    if (fixed + more + rest <= available) return k
  }
  return items.length
}
