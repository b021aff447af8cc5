import Database from 'better-sqlite3'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { freshDatabase, PASSWORD_ROLE, PASSWORD_SECRET, pgEnabled, testPgBaseUrl } from '../../support/postgres-cluster.ts'
import { smallApparelProject } from '../store/small-project.ts'
import { main } from '../../../src-main/cli/index.ts'
import { tagsmith, type Run } from './run-cli.ts'

/** The command in this process (the same code the bin runs), to keep the many cases quick. */
async function inProcess(...args: string[]): Promise<Run> {
  let stdout = ''
  let stderr = ''
  const code = await main(args, { out: (t) => void (stdout += t), err: (t) => void (stderr += t), interactive: false })
  return { code, stdout, stderr }
}

describe.skipIf(!pgEnabled())('tagsmith migrate', () => {
  it('copies a labelled project to PostgreSQL and back; every export equals the original bytes and edits survive', async () => {
    const { dir, file, csvs } = await smallApparelProject(25)
    const project = Project.open(file)
    const first = project.images()[0]
    project.edits.setLabels([{ imageId: first!.id, label: 'green', value: first!.labels[3] === 1 ? 0 : 1 }], 'ann')
    project.close()
    const url = await freshDatabase()

    const there = await tagsmith('migrate', file, '--to', url, '--json')
    expect(there.stderr).toBe('')
    expect(there.code).toBe(0)
    const report = JSON.parse(there.stdout)
    expect(report).toMatchObject({ from: file, to: url, files: ['train.csv', 'val.csv'] })
    expect(report.tables).toMatchObject({ images: 50, labels: 11, image_labels: 550, edit_log: 1 })
    expect(report.bytes).toBe(csvs.reduce((sum, f) => sum + readFileSync(f).length, 0))

    const back = join(dir, 'back.tagsmith')
    const returned = await inProcess('migrate', url, '--to', back)
    expect(returned.code).toBe(0)
    expect(returned.stdout).toMatch(/^Copied \d+ rows \(50 images, 1 logged edits\) from .* to .*back\.tagsmith in [\d.]+ s\.\nExports are identical: train\.csv, val\.csv/)
    // The copy exports the edit, and only it: the val CSV byte for byte, train differing in one line.
    const out = join(dir, 'out')
    expect((await inProcess('export', back, '--out', out)).code).toBe(0)
    expect(readFileSync(join(out, 'val.csv')).equals(readFileSync(csvs[1]!))).toBe(true)
    const before = readFileSync(csvs[0]!, 'utf8').split('\n')
    const after = readFileSync(join(out, 'train.csv'), 'utf8').split('\n')
    expect(after.filter((line, i) => line !== before[i])).toHaveLength(1)
    const db = new Database(back, { readonly: true })
    expect(db.prepare('SELECT author FROM edit_groups').pluck().all()).toEqual(['ann'])
    db.close()

    // A second copy into the same database or over the same file is refused unless --replace.
    const again = await inProcess('migrate', file, '--to', url)
    expect(again.code).toBe(2)
    expect(again.stderr).toMatch(/already holds a project \(50 images\).*--replace/)
    expect((await inProcess('migrate', file, '--to', url, '--replace')).code).toBe(0)
    expect((await inProcess('migrate', url, '--to', back)).stderr).toMatch(/already exists.*--replace/)
  }, 120_000)

  it('names a wrong URL, password, database or server without printing the password, and writes nothing', async () => {
    const { dir, file } = await smallApparelProject(3)
    const base = new URL(testPgBaseUrl())
    const target = join(dir, 'never.tagsmith')
    const ownedByOther = new URL(await freshDatabase()).pathname.slice(1)
    const wrongPassword = `postgresql://${PASSWORD_ROLE}:wrong-${PASSWORD_SECRET}@${base.host}/postgres`
    // An unreachable server is not the user's input (exit 1); the others are (exit 2).
    const cases: Array<[string[], RegExp, number]> = [
      [[file, '--to', 'mysql://me@host/db'], /neither .* is a postgresql:\/\/ URL/, 2],
      [[file, '--to', `postgresql://${base.host}`], /names no database/, 2],
      [[file, '--to', wrongPassword], new RegExp(`refused user ${PASSWORD_ROLE}: wrong password — postgresql://${PASSWORD_ROLE}:\\*\\*\\*@`), 2],
      [[file, '--to', `postgresql://postgres@${base.host}/no_such_db`], /database no_such_db does not exist on PostgreSQL at 127\.0\.0\.1:\d+/, 2],
      [[file, '--to', `postgresql://u:${PASSWORD_SECRET}@127.0.0.1:1/db`], /cannot reach PostgreSQL at 127\.0\.0\.1:1: connection refused .*postgresql:\/\/u:\*\*\*@/, 1],
      [[wrongPassword, '--to', target], /wrong password/, 2],
      // PostgreSQL 15 lets only a database's owner create tables in it: this role owns none.
      [[file, '--to', `postgresql://${PASSWORD_ROLE}:${PASSWORD_SECRET}@${base.host}/${ownedByOther}`], new RegExp(`user ${PASSWORD_ROLE} may not do this on .*permission denied for schema public`), 2],
      [[join(dir, 'missing.tagsmith'), '--to', `postgresql://postgres@${base.host}/x`], /project file not found/, 2],
    ]
    for (const [args, message, exit] of cases) {
      const run = await inProcess('migrate', ...args)
      expect(run.code, args.join(' ')).toBe(exit)
      expect(run.stderr).toMatch(message)
      expect(run.stderr + run.stdout).not.toContain(PASSWORD_SECRET)
    }
    expect(existsSync(target)).toBe(false)
  }, 120_000)
})
