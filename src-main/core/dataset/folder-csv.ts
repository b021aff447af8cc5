// The CSV a folder's rows make, in the layout the tools of this field read: a pandas index column,
// `image` (relative, '/' separators), one 0/1 column per label, empty for unknown; LF line ends.
import type { FolderRow } from './folder-plan.ts'

/** RFC 4180 quoting, only where a field needs it. */
function field(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** One file's text: header `,image,<labels>` and the rows in the order given, indexed from 0. */
export function folderCsvText(labels: readonly string[], rows: readonly FolderRow[]): string {
  const lines = [['', 'image', ...labels].map(field).join(',')]
  rows.forEach((row, i) => {
    lines.push([String(i), field(row.rel), ...row.values.map((v) => (v === null ? '' : String(v)))].join(','))
  })
  return `${lines.join('\n')}\n`
}
