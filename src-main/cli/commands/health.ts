import type { DatasetHealth } from '../../../src-preload/contract.ts'
import { phaseProgress } from '../../../src-shared/job-phases.ts'
import { SPLITS, type ImageRecord } from '../../core/dataset/types.ts'
import { TagsmithError } from '../../core/errors.ts'
import { datasetHealth } from '../../core/health/dataset-health.ts'
import { RARE_MIN_POSITIVES, RARE_MIN_SHARE } from '../../core/health/label-health.ts'
import { DEFAULT_SIMILARITY, MAX_PAIRS } from '../../core/health/near-duplicates.ts'
import { json, parseCommandArgs, type CliCommand } from '../command.ts'
import { givenOptions, numberText, requestInput } from '../request-input.ts'
import { onProject, STORE_HELP, STORE_OPTIONS, storeLocation } from '../store-option.ts'

/** Lines listed per section in the text report; --json lists everything. */
const LISTED = 20

export const command: CliCommand = {
  help: `Usage: tagsmith health <project> [--similarity X] [--json]
       tagsmith health --store URL|FILE [--similarity X] [--json]

Dataset health: positives per label and split, images with an empty cell, rare labels (fewer than
${RARE_MIN_POSITIVES} train positives or under ${RARE_MIN_SHARE * 100}% of train images) with the pos_weight class weighting would use,
label co-occurrence, images breaking a declared label group, images flagged missing, corrupt or
outside the dataset folder, and near-duplicate pairs: files with identical content (similarity 1), and
cosine similarity of the cached features of the latest run's backbone (before any run, the default
backbone's, if extracted), at most ${MAX_PAIRS} pairs, most similar first. Pairs split across train and
val/test inflate validation figures.

  --similarity X   near-duplicate threshold, above 0 and at most 1 (default ${DEFAULT_SIMILARITY})
${STORE_HELP}
  --json           the report as JSON, with image paths (as written in the CSV) beside the ids
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { similarity: { type: 'string' }, json: { type: 'boolean' }, ...STORE_OPTIONS })
    const [file, ...rest] = positionals
    const location = storeLocation(file, values.store)
    if (location === undefined || rest.length > 0) throw new TagsmithError('BAD_INPUT', 'give exactly one project file')
    const { similarity } = requestInput('health:get', { similarity: numberText(values.similarity) }, givenOptions(values, { similarity: 'similarity' }))
    const abort = new AbortController()
    const onSigint = (): void => abort.abort()
    process.once('SIGINT', onSigint)
    try {
      const { result } = await onProject(location, async (project) => {
        const report = await datasetHealth(project, {
          similarity,
          signal: abort.signal,
          onProgress: (p) => {
            if (values.json || !io.interactive) return
            io.err(`\r${phaseProgress(p)}${p.done === p.total ? '\n' : ''}`)
          },
        })
        return { report, rows: new Map(project.images().map((r) => [r.id, r])) }
      })
      io.out(values.json ? json(withPaths(result.report, result.rows)) : formatHealth(result.report, result.rows))
      return 0
    } finally {
      process.off('SIGINT', onSigint)
    }
  },
}

const pathOf = (rows: ReadonlyMap<number, ImageRecord>, id: number): string => rows.get(id)?.path ?? `#${id}`

/** The report with each image id's path as written in the CSV beside it. */
function withPaths(h: DatasetHealth, rows: ReadonlyMap<number, ImageRecord>): unknown {
  const paths = (ids: readonly number[]): string[] => ids.map((id) => pathOf(rows, id))
  return {
    ...h,
    groupViolations: h.groupViolations.map((v) => ({ ...v, images: paths(v.imageIds) })),
    flaggedImages: { missing: paths(h.flagged.missing), corrupt: paths(h.flagged.corrupt), outside: paths(h.flagged.outside) },
    nearDuplicates: {
      ...h.nearDuplicates,
      pairs: h.nearDuplicates.pairs.map((p) => ({
        ...p,
        imageA: pathOf(rows, p.a),
        imageB: pathOf(rows, p.b),
        splitA: rows.get(p.a)?.split ?? null,
        splitB: rows.get(p.b)?.split ?? null,
      })),
    },
  }
}

function listed<T>(items: readonly T[], line: (item: T) => string): string[] {
  const out = items.slice(0, LISTED).map((item) => `  ${line(item)}`)
  if (items.length > LISTED) out.push(`  ... and ${items.length - LISTED} more (--json lists all)`)
  return out
}

function formatHealth(h: DatasetHealth, rows: ReadonlyMap<number, ImageRecord>): string {
  const width = Math.max(22, ...h.labels.map((l, i) => `${i + 1} ${l}`.length)) + 1
  const cell = (v: string | number): string => String(v).padStart(7)
  const lines = [
    'Per split',
    `${'label'.padEnd(width)}${SPLITS.map(cell).join('')}`,
    `${'images'.padEnd(width)}${SPLITS.map((s) => cell(h.perSplit[s].images)).join('')}`,
    `${'with an empty cell'.padEnd(width)}${SPLITS.map((s) => cell(h.perSplit[s].emptyCells)).join('')}`,
    ...h.labels.map((l, j) => `${l.padEnd(width)}${SPLITS.map((s) => cell(h.perSplit[s].positives[j] ?? 0)).join('')}`),
    '',
    `Rare labels (train)${h.rare.length === 0 ? ': none' : ''}`,
    ...h.rare.map((r) => `  ${r.label}: ${r.reason}; pos_weight ${r.posWeight.toFixed(2)}`),
    '',
    'Co-occurrence (images positive for both, all splits)',
    `${''.padEnd(width)}${h.labels.map((_, i) => cell(i + 1)).join('')}`,
    ...h.cooccurrence.map((row, i) => `${`${i + 1} ${h.labels[i] ?? ''}`.padEnd(width)}${row.map(cell).join('')}`),
    '',
    `Group violations (not exactly one label of the group)${h.groupViolations.length === 0 ? ': no groups declared' : ''}`,
    ...h.groupViolations.flatMap((v) => [
      `  ${v.group.join(' | ')}: ${v.imageIds.length} images`,
      ...listed(v.imageIds, (id) => `  ${pathOf(rows, id)}`),
    ]),
    '',
    `Flagged images: ${h.flagged.missing.length} missing, ${h.flagged.corrupt.length} corrupt, ${h.flagged.outside.length} outside the dataset folder`,
    ...(['missing', 'corrupt', 'outside'] as const).flatMap((status) => listed(h.flagged[status], (id) => `${status}: ${pathOf(rows, id)}`)),
    '',
    ...formatDuplicates(h.nearDuplicates, rows),
  ]
  return `${lines.join('\n')}\n`
}

function formatDuplicates(d: DatasetHealth['nearDuplicates'], rows: ReadonlyMap<number, ImageRecord>): string[] {
  const cross = d.pairs.filter((p) => p.crossSplit)
  const split = (id: number): string => rows.get(id)?.split ?? '?'
  const line = (p: DatasetHealth['nearDuplicates']['pairs'][number]): string =>
    `${p.similarity.toFixed(3)}  ${split(p.a)}/${split(p.b)}  ${pathOf(rows, p.a)}  ${pathOf(rows, p.b)}`
  const source =
    d.backbone === null
      ? 'identical files only: no cached features yet (train first)'
      : `features ${d.backbone}; ${d.withoutFeatures} images without features left out`
  return [
    `Near-duplicates (similarity >= ${d.threshold}, ${source})`,
    `  ${d.pairs.length} pair${d.pairs.length === 1 ? '' : 's'}${d.pairs.length >= MAX_PAIRS ? ` (the ${MAX_PAIRS} most similar)` : ''}, ${cross.length} across splits`,
    ...(cross.length > 0 ? ['Across splits:', ...listed(cross, line)] : []),
    ...(d.pairs.length > cross.length ? ['Within a split:', ...listed(d.pairs.filter((p) => !p.crossSplit), line)] : []),
  ]
}
