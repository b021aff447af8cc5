import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseCsv } from '../../../src-main/core/dataset/csv-parse.ts'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { tempDir, writeText } from './helpers.ts'

// Seeded generator: the same files on every run, many combinations of layout details.
function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

const STYLES = [['0', '1'], ['0.0', '1.0'], ['false', 'true'], ['False', 'True'], ['FALSE', 'TRUE']] as const

function generate(seed: number): { text: string; labels: number; rows: number } {
  const r = rng(seed)
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T
  const eol = pick(['\n', '\r\n', '\r'])
  const style = pick(STYLES)
  const index = r() < 0.5
  const quoteAll = r() < 0.2
  const labels = 1 + Math.floor(r() * 4)
  const rows = Math.floor(r() * 8)
  const q = (s: string, force = false): string => (quoteAll || force ? `"${s.replace(/"/g, '""')}"` : s)
  const header = [...(index ? [q('')] : []), q('image'), ...Array.from({ length: labels }, (_, i) => q(`l${i}`))]
  const lines = [header.join(',')]
  for (let i = 0; i < rows; i++) {
    const name = pick(['a', 'b,c', 'd"e', 'f\ng', 'h i'])
    const path = `${pick(['', './', '.\\'])}dir${pick(['/', '\\'])}${name}${i}.jpg`
    const needsQuotes = /[",\n\r]/.test(path)
    const values = Array.from({ length: labels }, () => {
      const v = r()
      return v < 0.1 ? '' : q(style[v < 0.55 ? 0 : 1])
    })
    lines.push([...(index ? [q(String(i))] : []), q(path, needsQuotes), ...values].join(','))
    if (r() < 0.1) lines.push('') // a blank line
  }
  const bom = r() < 0.3 ? '\uFEFF' : ''
  const end = pick(['', eol, eol + eol])
  return { text: bom + lines.join(eol) + end, labels, rows }
}

describe('generated CSV files', () => {
  it('export byte-identical unedited, and after flipping cells differ exactly in those cells', async () => {
    const dir = tempDir()
    for (let seed = 1; seed <= 40; seed++) {
      const { text, rows } = generate(seed)
      if (rows === 0) continue
      const csv = writeText(join(dir, String(seed)), 'train.csv', text)
      const { project } = await Project.importCsvs({ csvs: [csv] })
      const out = join(dir, String(seed), 'out.csv')
      project.exportCsvAs('train.csv', out)
      expect(readFileSync(out).equals(Buffer.from(text, 'utf8')), `seed ${seed}`).toBe(true)

      const images = project.images()
      const labels = project.labels()
      const flips = images.filter((_, i) => i % 2 === 0).map((img, i) => {
        const l = i % labels.length
        return { imageId: img.id, label: labels[l] ?? '', value: img.labels[l] === 1 ? (0 as const) : (1 as const) }
      })
      project.edits.setLabels(flips)
      project.exportCsvAs('train.csv', out)
      const expected = project.images()
      project.close()
      // Reading the export back gives the edited values; every other field is unchanged.
      const before = parseCsv(text.replace(/^\uFEFF/, '')).map((rec) => rec.fields.map((f) => f.value))
      const after = parseCsv(readFileSync(out, 'utf8').replace(/^\uFEFF/, '')).map((rec) => rec.fields.map((f) => f.value))
      expect(after.length, `seed ${seed}`).toBe(before.length)
      const imageCol = (before[0] ?? []).indexOf('image')
      after.slice(1).forEach((fields, i) => {
        const record = expected[i]
        const original = before[i + 1] ?? []
        expect(fields[imageCol]).toBe(original[imageCol])
        const labelCells = fields.filter((_, c) => c > imageCol)
        const parsed = labelCells.map((v) => (v === '' ? null : /^(1|1\.0|true)$/i.test(v) ? 1 : 0))
        expect(parsed, `seed ${seed} row ${i}`).toEqual(record?.labels)
        if (!record?.edited) expect(fields).toEqual(original)
      })
    }
  }, 60_000)
})
