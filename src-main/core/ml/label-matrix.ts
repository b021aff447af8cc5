// Labels as dense row-major matrices: values (0/1) and a mask (1 = known, 0 = empty cell).

export interface LabelMatrix {
  rows: number
  cols: number
  values: Float32Array
  mask: Float32Array
}

export function labelMatrix(labels: ReadonlyArray<ReadonlyArray<0 | 1 | null>>, cols: number): LabelMatrix {
  const rows = labels.length
  const values = new Float32Array(rows * cols)
  const mask = new Float32Array(rows * cols)
  labels.forEach((row, i) => {
    for (let j = 0; j < cols; j++) {
      const v = row[j]
      if (v === 0 || v === 1) {
        values[i * cols + j] = v
        mask[i * cols + j] = 1
      }
    }
  })
  return { rows, cols, values, mask }
}

/** The selected rows, in the given order. */
export function selectRows(m: LabelMatrix, rowIndices: ArrayLike<number>): LabelMatrix {
  const n = rowIndices.length
  const values = new Float32Array(n * m.cols)
  const mask = new Float32Array(n * m.cols)
  for (let r = 0; r < n; r++) {
    const src = (rowIndices[r] as number) * m.cols
    values.set(m.values.subarray(src, src + m.cols), r * m.cols)
    mask.set(m.mask.subarray(src, src + m.cols), r * m.cols)
  }
  return { rows: n, cols: m.cols, values, mask }
}
