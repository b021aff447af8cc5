// Colour statistics of a decoded image: the colour part of a composite feature vector. Pretrained
// backbones see colour poorly, and colour is often half of a label set; a few histograms of the pixels
// the backbone's decode already produced fix most of that for a few microseconds per image.
//
// `computeColourStatistics` is self-contained on purpose (no imports, no module-level helpers): an
// exported model folder ships its source text, so predict.mjs computes exactly what the app computed.

/** A colour-statistics design: everything that changes the numbers is here, and in the cache key. */
export interface ColourDesign {
  /** the image is box-averaged to grid x grid cells first (cheap, and it blurs JPEG noise) */
  grid: number
  /** side of the central region, as a share of the image side (0: whole image only) */
  centre: number
  /** RGB cube histogram with bins^3 cells */
  rgbBins: number
  /** hue histogram, each pixel weighted by saturation x value */
  hueBins: number
  /** value histogram of the low-saturation (grey, black, white) pixels */
  greyBins: number
  /** saturation below which a pixel counts as grey */
  greyBelow: number
  /**
   * > 0: pixels are weighted by their RGB distance from the image's border colour, up to full weight at
   * this distance (0..441), so a plain background counts less than the garment in front of it
   */
  borderDistance: number
  /**
   * shares are raised to this power: 0.5 (square roots) keeps a cell holding 1 % of the pixels from
   * being a rounding error beside one holding 60 %, which a linear model on standardised values needs
   */
  power: number
  /**
   * > 0: also the garment's layout, the mean pixel weight (distance from the border colour) on a
   * layout x layout grid: where the subject is tells trousers from shorts. The one spatial part: a
   * mirrored image mirrors it.
   */
  layout: number
}

/** Values per region: the RGB cube, the hue histogram, the grey histogram. */
export function colourRegionLength(d: ColourDesign): number {
  return d.rgbBins ** 3 + d.hueBins + d.greyBins
}

export function colourLength(d: ColourDesign): number {
  return colourRegionLength(d) * (d.centre > 0 ? 2 : 1) + d.layout * d.layout
}

/**
 * Statistics of one size x size x 3 RGB byte image (HWC): per region (whole image, then the centre),
 * the share of (weighted) pixels in each RGB cube cell, in each hue bin (weighted by saturation x
 * value) and in each grey-level bin of the low-saturation pixels. Shares of the region's total weight,
 * so the numbers do not depend on the image size.
 */
export function computeColourStatistics(rgb: Uint8Array, size: number, d: ColourDesign): Float32Array {
  const g = d.grid
  const bump = (arr: Float64Array, i: number, v: number): void => {
    arr[i] = (arr[i] as number) + v
  }
  // Box average onto a g x g grid: every source pixel falls in exactly one cell. Cells mirror about the
  // centre (a row's cell counted from the nearer edge), so a mirrored image of an even size gives the
  // same statistics even when the size is not a multiple of the grid.
  const cellAt = new Int32Array(size)
  const across = new Float64Array(g)
  for (let i = 0; i < size; i++) {
    const c = 2 * i < size ? Math.floor((i * g) / size) : g - 1 - Math.floor(((size - 1 - i) * g) / size)
    cellAt[i] = c
    bump(across, c, 1)
  }
  const cells = g * g
  // Integer sums: exact, and faster to add than floats.
  const sr = new Int32Array(cells)
  const sg = new Int32Array(cells)
  const sb = new Int32Array(cells)
  for (let y = 0; y < size; y++) {
    const row = (cellAt[y] as number) * g
    let s = y * size * 3
    for (let x = 0; x < size; x++, s += 3) {
      const c = row + (cellAt[x] as number)
      sr[c] = (sr[c] as number) + (rgb[s] as number)
      sg[c] = (sg[c] as number) + (rgb[s + 1] as number)
      sb[c] = (sb[c] as number) + (rgb[s + 2] as number)
    }
  }
  const r = new Float64Array(cells)
  const gr = new Float64Array(cells)
  const b = new Float64Array(cells)
  for (let i = 0; i < cells; i++) {
    const n = (across[Math.floor(i / g)] as number) * (across[i % g] as number) || 1
    r[i] = (sr[i] as number) / n
    gr[i] = (sg[i] as number) / n
    b[i] = (sb[i] as number) / n
  }
  // Pixel weights: 1, or the distance from the border colour (the mean of the outermost cells) as a
  // share of `borderDistance`, capped at 1.
  const weight = new Float64Array(cells).fill(1)
  if (d.borderDistance > 0 && g > 2) {
    let br = 0
    let bg = 0
    let bb = 0
    let bn = 0
    for (let i = 0; i < cells; i++) {
      const cy = Math.floor(i / g)
      const cx = i % g
      if (cy !== 0 && cx !== 0 && cy !== g - 1 && cx !== g - 1) continue
      br += r[i] as number
      bg += gr[i] as number
      bb += b[i] as number
      bn++
    }
    br /= bn
    bg /= bn
    bb /= bn
    for (let i = 0; i < cells; i++) {
      const dist = Math.hypot((r[i] as number) - br, (gr[i] as number) - bg, (b[i] as number) - bb)
      weight[i] = Math.min(1, dist / d.borderDistance)
    }
  }
  const regionLength = d.rgbBins ** 3 + d.hueBins + d.greyBins
  const regions = d.centre > 0 ? 2 : 1
  const out = new Float32Array(regionLength * regions + d.layout * d.layout)
  const lo = Math.floor((g * (1 - d.centre)) / 2)
  const hi = g - lo
  const nb = d.rgbBins
  // Each cell's bins, once for both regions: its RGB cube cell, its hue bin (-1: no hue) and the
  // saturation x value it adds there, its grey bin (-1: not grey).
  const cubeBin = new Int32Array(cells)
  const hueBin = new Int32Array(cells).fill(-1)
  const hueWeight = new Float64Array(cells)
  const greyBin = new Int32Array(cells).fill(-1)
  for (let i = 0; i < cells; i++) {
    const R = (r[i] as number) / 255
    const G = (gr[i] as number) / 255
    const B = (b[i] as number) / 255
    const ri = Math.min(nb - 1, Math.floor(R * nb))
    const gi = Math.min(nb - 1, Math.floor(G * nb))
    const bi = Math.min(nb - 1, Math.floor(B * nb))
    cubeBin[i] = (ri * nb + gi) * nb + bi
    const max = Math.max(R, G, B)
    const min = Math.min(R, G, B)
    const sat = max > 0 ? (max - min) / max : 0
    if (max > min) {
      let hue
      if (max === R) hue = (G - B) / (max - min)
      else if (max === G) hue = 2 + (B - R) / (max - min)
      else hue = 4 + (R - G) / (max - min)
      hue = (((hue / 6) % 1) + 1) % 1
      hueBin[i] = nb * nb * nb + Math.min(d.hueBins - 1, Math.floor(hue * d.hueBins))
      hueWeight[i] = sat * max
    }
    if (sat < d.greyBelow) greyBin[i] = nb * nb * nb + d.hueBins + Math.min(d.greyBins - 1, Math.floor(max * d.greyBins))
  }
  const accumulate = (region: number, plain: boolean): { acc: Float64Array; total: number } => {
    const acc = new Float64Array(regionLength)
    let total = 0
    for (let i = 0; i < cells; i++) {
      const cy = Math.floor(i / g)
      const cx = i % g
      if (region === 1 && (cy < lo || cy >= hi || cx < lo || cx >= hi)) continue
      const w = plain ? 1 : (weight[i] as number)
      total += w
      bump(acc, cubeBin[i] as number, w)
      const h = hueBin[i] as number
      if (h >= 0) bump(acc, h, w * (hueWeight[i] as number))
      const k = greyBin[i] as number
      if (k >= 0) bump(acc, k, w)
    }
    return { acc, total }
  }
  for (let region = 0; region < regions; region++) {
    let { acc, total } = accumulate(region, false)
    // A region where every cell has the border's colour (a blank image) falls back to plain weights.
    if (total < 1e-6) ({ acc, total } = accumulate(region, true))
    const base = region * regionLength
    for (let k = 0; k < regionLength; k++) out[base + k] = ((acc[k] as number) / total) ** d.power
  }
  if (d.layout > 0) {
    const L = d.layout
    const layoutOf = (c: number): number => (2 * c < g ? Math.floor((c * L) / g) : L - 1 - Math.floor(((g - 1 - c) * L) / g))
    const sum = new Float64Array(L * L)
    const count = new Float64Array(L * L)
    for (let i = 0; i < cells; i++) {
      const k = layoutOf(Math.floor(i / g)) * L + layoutOf(i % g)
      bump(sum, k, weight[i] as number)
      bump(count, k, 1)
    }
    const base = regionLength * regions
    for (let k = 0; k < L * L; k++) out[base + k] = (sum[k] as number) / ((count[k] as number) || 1)
  }
  return out
}
