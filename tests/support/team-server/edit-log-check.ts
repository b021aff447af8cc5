// What a trial's edits left in the store: every acknowledged edit must be in the edit log as its group,
// under its author, with its cell; and the exported CSVs must equal the imported CSVs with every applied
// step of the log replayed over them in group order, cell by cell.
import { readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { openStore } from '../../../src-main/core/store/open-store.ts'
import type { HistoryEntry } from '../../../src-main/core/store/project-store.ts'
import type { SentEdit } from './labeler.ts'

export interface EditLogCheck {
  /** Edits answered with a group. */
  acknowledged: number
  /** Of those, edits of a cell that already held the value: answered without a step (group 0). */
  unchanged: number
  /** Acknowledged edits whose group is missing, undone, under another author or without their cell. */
  lost: number
  /** A few of the lost ones, said in words. */
  lostExamples: string[]
  /** Edits answered with an error. */
  refused: number
  /** Edits that got no answer (the server died or the socket dropped first). */
  unanswered: number
  /** Steps of the trial's members after `sinceGroup` that no acknowledgement names: unanswered edits that landed. */
  landedUnacknowledged: number
  /** Cells compared between the export and the replay, and how many differ. */
  cellsCompared: number
  cellMismatches: number
  mismatchExamples: string[]
}

const MAX_HISTORY = 100_000

/** Reads the store's history and export (into `outDir`) and checks them against the edits sent. */
export async function checkEditLog(location: string, csvs: string[], edits: SentEdit[], outDir: string, sinceGroup = 0): Promise<EditLogCheck> {
  const store = await openStore(location)
  let history: HistoryEntry[]
  let exported: string[]
  let paths: Map<number, string>
  let labels: string[]
  try {
    history = await store.history({ limit: MAX_HISTORY })
    if (history.length >= MAX_HISTORY) throw new Error(`the edit log has ${MAX_HISTORY} steps or more: too many to replay here`)
    labels = await store.labels()
    paths = new Map((await store.images()).map((image) => [image.id, `${image.source}\n${image.path}`]))
    exported = await store.exportCsvs(outDir)
  } finally {
    await store.close()
  }

  const byGroup = new Map(history.map((entry) => [entry.group, entry]))
  const acknowledged = edits.filter((edit) => edit.group !== undefined)
  const lostExamples: string[] = []
  let lost = 0
  for (const edit of acknowledged) {
    if (edit.group === 0) continue
    const entry = byGroup.get(edit.group ?? 0)
    const { imageId, label, value } = edit.change
    const fault =
      entry === undefined ? 'not in the log'
      : entry.undone ? 'undone'
      : entry.author !== edit.user ? `under ${entry.author ?? 'no author'}`
      : !entry.changes.some((c) => c.imageId === imageId && c.label === label && c.new === value) ? 'without its cell'
      : null
    if (fault === null) continue
    lost++
    if (lostExamples.length < 5) lostExamples.push(`group ${edit.group} by ${edit.user} (image ${imageId} ${label}=${value}): ${fault}`)
  }
  const members = new Set(edits.map((edit) => edit.user))
  const acknowledgedGroups = new Set(acknowledged.map((edit) => edit.group))
  const landedUnacknowledged = history.filter(
    (entry) => entry.group > sinceGroup && entry.author !== null && members.has(entry.author) && !acknowledgedGroups.has(entry.group),
  ).length

  const replay = replayLog(csvs, history, paths, labels)
  const compared = compareExport(replay, exported, csvs)
  return {
    acknowledged: acknowledged.length,
    unchanged: acknowledged.filter((edit) => edit.group === 0).length,
    lost,
    lostExamples,
    refused: edits.filter((edit) => edit.error !== undefined).length,
    unanswered: edits.filter((edit) => edit.repliedAt === undefined).length,
    landedUnacknowledged,
    ...compared,
  }
}

/** CSV rows by "file name\npath": the header's label columns and each row's cells. */
type Table = { header: string[]; rows: Map<string, string[]> }

function readTable(file: string): Table {
  const [headerLine, ...lines] = readFileSync(file, 'utf8').split(/\r?\n/).filter(Boolean)
  const header = (headerLine ?? '').split(',')
  const rows = new Map<string, string[]>()
  // The fixture's CSVs are plain: no quoted cells. Column 1 is the image path.
  for (const line of lines) {
    const cells = line.split(',')
    rows.set(`${basename(file)}\n${cells[1] ?? ''}`, cells)
  }
  return { header, rows }
}

/** The imported CSVs with every applied cell step replayed over them, in group order. */
function replayLog(csvs: string[], history: HistoryEntry[], paths: Map<number, string>, labels: string[]): Map<string, Table> {
  const tables = new Map(csvs.map((file) => [basename(file), readTable(file)]))
  const steps = history.filter((entry) => !entry.undone).sort((a, b) => a.group - b.group)
  for (const step of steps) {
    if (step.kind !== 'cells') throw new Error(`group ${step.group} is a ${step.kind} step: the replay knows only cell edits`)
    for (const change of step.changes) {
      const key = paths.get(change.imageId)
      const table = key === undefined ? undefined : tables.get(key.split('\n')[0] ?? '')
      const row = key === undefined ? undefined : table?.rows.get(key)
      const column = table?.header.indexOf(change.label) ?? -1
      if (!row || column < 0 || !labels.includes(change.label)) throw new Error(`group ${step.group} names image ${change.imageId} ${change.label}, which the CSVs lack`)
      row[column] = change.new === null ? '' : String(change.new)
    }
  }
  return tables
}

function compareExport(replay: Map<string, Table>, exported: string[], csvs: string[]): Pick<EditLogCheck, 'cellsCompared' | 'cellMismatches' | 'mismatchExamples'> {
  let cellsCompared = 0
  let cellMismatches = 0
  const mismatchExamples: string[] = []
  const say = (text: string): void => {
    cellMismatches++
    if (mismatchExamples.length < 5) mismatchExamples.push(text)
  }
  for (const name of csvs.map((file) => basename(file))) {
    const expected = replay.get(name)
    const file = exported.find((path) => basename(path) === name)
    if (!expected || !file) {
      say(`${name}: not exported`)
      continue
    }
    const actual = readTable(file)
    if (actual.header.join(',') !== expected.header.join(',')) say(`${name}: header ${actual.header.join(',')}`)
    if (actual.rows.size !== expected.rows.size) say(`${name}: ${actual.rows.size} rows, imported ${expected.rows.size}`)
    for (const [key, cells] of expected.rows) {
      const got = actual.rows.get(key)
      for (let column = 2; column < expected.header.length; column++) {
        cellsCompared++
        if (got?.[column] !== cells[column]) say(`${join(name, key.split('\n')[1] ?? '')} ${expected.header[column]}: exported ${got?.[column]}, replay ${cells[column]}`)
      }
    }
  }
  return { cellsCompared, cellMismatches, mismatchExamples }
}
