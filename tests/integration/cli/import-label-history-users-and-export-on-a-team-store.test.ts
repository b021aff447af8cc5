// The store commands on a team store (PostgreSQL): import into it, label as two users, history, users and
// export, all by --store URL; the password never shows.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { main } from '../../../src-main/cli/index.ts'
import { TRAIN_CSV, VAL_CSV } from '../../contract/fixture.ts'
import { freshDatabase, pgEnabled } from '../../support/postgres-cluster.ts'
import { tempDir, writeImages, writeText } from '../../unit/dataset/helpers.ts'

async function tagsmith(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await main(argv, { out: (t) => void out.push(t), err: (t) => void err.push(t), interactive: false })
  return { code, out: out.join(''), err: err.join('') }
}

describe.skipIf(!pgEnabled())('store commands on a team store', () => {
  it('imports, labels as two users, lists history and users, and exports only the edited cells', async () => {
    const dir = tempDir()
    writeImages(dir, ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg', 'e.jpg'])
    const csvs = [writeText(dir, 'train.csv', TRAIN_CSV), writeText(dir, 'val.csv', VAL_CSV)]
    const url = await freshDatabase()

    const imported = await tagsmith('import', ...csvs, '--store', url, '--json')
    expect(imported.err).toBe('')
    expect(JSON.parse(imported.out)).toMatchObject({ project: expect.stringContaining('127.0.0.1'), rows: 5, labels: ['red', 'blue', 'shirt'] })
    const again = await tagsmith('import', ...csvs, '--store', url)
    expect(again.code).toBe(2)
    expect(again.err).toContain('already holds a project (5 images); replace it to overwrite (use --replace)')

    expect((await tagsmith('label', '--store', url, 'c.jpg', 'shirt=1', '--user', 'ann')).out).toBe('c.jpg: shirt empty -> 1\n')
    expect((await tagsmith('label', url, './e.jpg', 'red=1', '--user', 'bob')).out).toBe('./e.jpg: red 0 -> 1\n')
    const history = JSON.parse((await tagsmith('history', '--store', url, '--json')).out) as Array<{ author: string; undone: boolean }>
    expect(history.map((h) => [h.author, h.undone])).toEqual([
      ['bob', false],
      ['ann', false],
    ])
    expect(JSON.parse((await tagsmith('history', url, '--user', 'ann', '--json')).out)).toHaveLength(1)

    const { token } = JSON.parse((await tagsmith('users', 'add', 'ann', '--store', url, '--json')).out) as { token: string }
    expect(token).toMatch(/^tsu_/)
    expect((await tagsmith('users', 'list', '--store', url)).out).toMatch(/^ann {2}\(added /)

    const stats = JSON.parse((await tagsmith('stats', '--store', url, '--json')).out) as { perSplit: { val: { counts: Record<string, number> } } }
    expect(stats.perSplit.val.counts).toMatchObject({ red: 1, blue: 1, shirt: 1 })

    const out = tempDir()
    expect((await tagsmith('export', '--store', url, '--out', out)).code).toBe(0)
    expect(readFileSync(join(out, 'train.csv'), 'utf8')).toBe(TRAIN_CSV.replace('c.jpg,0,0,\n', 'c.jpg,0,0,1\n'))
    expect(readFileSync(join(out, 'val.csv'), 'utf8')).toBe(VAL_CSV.replace('./e.jpg,0.0,', './e.jpg,1.0,'))
  })

  it('labels from two processes at once, as two users: both steps commit and the history names both', async () => {
    const dir = tempDir()
    writeImages(dir, ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg', 'e.jpg'])
    const url = await freshDatabase()
    expect((await tagsmith('import', writeText(dir, 'train.csv', TRAIN_CSV), writeText(dir, 'val.csv', VAL_CSV), '--store', url)).code).toBe(0)
    const cli = join(import.meta.dirname, '..', '..', '..', 'bin', 'tagsmith.mjs')
    const label = (user: string, ...cells: string[]): Promise<string> =>
      promisify(execFile)(process.execPath, [cli, 'label', '--store', url, ...cells, '--user', user]).then((r) => r.stdout)
    const [ann, bob] = await Promise.all([label('ann', 'c.jpg', 'red=1', 'blue=1'), label('bob', 'c.jpg', 'red=0', 'shirt=1')])
    expect(ann).toContain('blue 0 -> 1')
    expect(bob).toContain('shirt empty -> 1')
    const history = JSON.parse((await tagsmith('history', '--store', url, '--json')).out) as Array<{ author: string; changes: Array<{ label: string; new: number }> }>
    expect(history.map((h) => h.author).sort()).toEqual(['ann', 'bob'])
    // The cell both set holds the value of the newest step that changed it (a set to the value already
    // there is no change), and the export says so.
    const winner = history.flatMap((h) => h.changes).find((c) => c.label === 'red')?.new
    const out = tempDir()
    expect((await tagsmith('export', '--store', url, '--out', out)).code).toBe(0)
    expect(readFileSync(join(out, 'train.csv'), 'utf8')).toContain(`\nc.jpg,${winner},1,1\n`)
  })

  it('refuses a team store where a command needs a project file, naming it without the password', async () => {
    const url = 'postgresql://ann:s3cret@127.0.0.1:1/labels'
    for (const [command, ...rest] of [['groups'], ['thresholds'], ['similar', 'x.jpg']] as const) {
      const refused = await tagsmith(command, url, ...rest)
      expect(refused.code).toBe(2)
      expect(refused.err).toContain(`${command} needs a project file, not a team store (postgresql://ann:***@127.0.0.1:1/labels)`)
      expect(refused.err).not.toContain('s3cret')
    }
  })

  it('says which server failed without showing the password', async () => {
    const run = await tagsmith('stats', '--store', 'postgresql://someone:hunter2-secret@127.0.0.1:1/nothing')
    expect(run.code).not.toBe(0)
    expect(run.err).toContain('127.0.0.1')
    expect(run.err).not.toContain('hunter2-secret')
  })
})
