// Team store figures (opt-in: `npm run bench -- team`): the ~11k-row dataset of bench/dataset.ts imported
// into a project file with some edits, copied to PostgreSQL and back, and the store's everyday calls timed.
// The server is a throwaway cluster (tests/support/postgres-cluster.ts) unless TAGSMITH_TEST_PG_URL names one.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { editLabelSet } from '../src-main/core/dataset/label-set.ts'
import { Project } from '../src-main/core/dataset/project.ts'
import { copyFileToPostgres, copyPostgresToFile } from '../src-main/core/store/copy-project.ts'
import { connectPool, parsePgUrl } from '../src-main/core/store/pg-connect.ts'
import { stepTransaction } from '../src-main/core/store/pg-structure.ts'
import { openPostgresStore } from '../src-main/core/store/postgres-store.ts'
import { startCluster, type Cluster } from '../tests/support/postgres-cluster.ts'
import { buildLargeDataset } from './dataset.ts'

export const optIn = true

const round = (seconds: number): number => Math.round(seconds * 1000) / 1000

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now()
  const result = await work()
  return [result, (performance.now() - started) / 1000]
}

export async function bench(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'tagsmith-bench-team-'))
  let cluster: Cluster | undefined
  try {
    const { project } = await Project.importCsvs({ csvs: buildLargeDataset(dir) })
    const images = project.images()
    // 200 steps of 5 cells each: a realistic edit log to carry.
    for (let step = 0; step < 200; step++) {
      const changes = Array.from({ length: 5 }, (_, k) => {
        const image = images[(step * 37 + k * 11) % images.length]
        return { imageId: image?.id ?? 1, label: 'black', value: (step + k) % 2 === 0 ? (1 as const) : (0 as const) }
      })
      project.edits.setLabels(changes, step % 2 === 0 ? 'ann' : 'bob')
    }
    const file = project.file
    project.close()
    let base = process.env.TAGSMITH_TEST_PG_URL
    let clusterStartSeconds: number | null = null
    if (!base) {
      cluster = await startCluster()
      base = cluster.baseUrl
      clusterStartSeconds = round(cluster.startSeconds)
    }
    const name = `bench_team_${process.pid}`
    const admin = new pg.Client({ connectionString: `${base}/postgres` })
    await admin.connect()
    await admin.query(`DROP DATABASE IF EXISTS ${name}`)
    await admin.query(`CREATE DATABASE ${name}`)
    await admin.end()
    const url = `${base}/${name}`

    const [there, toPgSeconds] = await timed(() => copyFileToPostgres(file, url))
    const [, toFileSeconds] = await timed(() => copyPostgresToFile(url, join(dir, 'back.tagsmith')))
    const store = await openPostgresStore(url)
    const [rows, imagesSeconds] = await timed(() => store.images())
    const [, statsSeconds] = await timed(() => store.stats())
    const edits: number[] = []
    for (let i = 0; i < 50; i++) {
      const image = rows[(i * 97) % rows.length]
      const [, s] = await timed(() => store.setLabels([{ imageId: image?.id ?? 1, label: 'red', value: i % 2 === 0 ? 1 : 0 }], 'carol'))
      edits.push(s)
    }
    const [, undoSeconds] = await timed(() => store.undo('carol'))
    const [, exportSeconds] = await timed(() => store.exportCsvs(join(dir, 'out')))
    // A structural step runs on a copy of the database (pg-structure.ts): a label added, undone, renamed.
    const [, labelAddSeconds] = await timed(() => store.editLabelSet({ op: 'add', name: 'bench-added', value: 0 }, 'carol'))
    const [, labelUndoSeconds] = await timed(() => store.undo('carol'))
    const pool = await connectPool(parsePgUrl(url), 1)
    const [rename, labelRenameSeconds] = await timed(() =>
      stepTransaction(pool, url, (p) => editLabelSet(p, { op: 'rename', name: 'red', to: 'crimson' }, 'carol'), 'label-rename', async () => {}),
    )
    await pool.end()
    await store.close()
    edits.sort((a, b) => a - b)
    return {
      teamRows: there.rows,
      teamImages: there.tables.images,
      teamEditSteps: there.tables.edit_groups,
      teamClusterStartSeconds: clusterStartSeconds,
      teamCopyToPostgresSeconds: round(toPgSeconds),
      teamCopyToFileSeconds: round(toFileSeconds),
      teamImagesSeconds: round(imagesSeconds),
      teamStatsSeconds: round(statsSeconds),
      teamSetLabelsP50Ms: round((edits[Math.floor(edits.length / 2)] ?? 0) * 1000),
      teamUndoMs: round(undoSeconds * 1000),
      teamExportSeconds: round(exportSeconds),
      teamLabelAddSeconds: round(labelAddSeconds),
      teamLabelAddUndoSeconds: round(labelUndoSeconds),
      teamLabelRenameSeconds: round(labelRenameSeconds),
      teamStepCopySeconds: round(rename.timings.copySeconds),
      teamStepRunSeconds: round(rename.timings.stepSeconds),
      teamStepWriteSeconds: round(rename.timings.writeSeconds),
    }
  } finally {
    await cluster?.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}
