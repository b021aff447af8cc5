// The store commands on a project file: users get a token once, label records --user as the author, history
// lists steps by author, --store and TAGSMITH_STORE name the store, and a team store is refused where the
// command cannot serve it yet. Two processes labeling one file at once both land, each under its author.
import { afterEach, describe, expect, it } from 'vitest'
import { main } from '../../../src-main/cli/index.ts'
import { smallProjectFile } from '../../contract/fixture.ts'
import { tagsmith as spawnTagsmith } from './run-cli.ts'

async function tagsmith(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await main(argv, { out: (t) => void out.push(t), err: (t) => void err.push(t), interactive: false })
  return { code, out: out.join(''), err: err.join('') }
}

const savedStore = process.env.TAGSMITH_STORE
afterEach(() => {
  if (savedStore === undefined) delete process.env.TAGSMITH_STORE
  else process.env.TAGSMITH_STORE = savedStore
})

interface Entry {
  group: number
  author: string | null
  kind: string
  undone: boolean
  changes: Array<{ label: string; old: number | null; new: number }>
}

describe('users, history and --user on a project file', () => {
  it('users add prints the token once; list and remove; bad names and unknown users are refused by name', async () => {
    const { file } = await smallProjectFile()
    const added = await tagsmith('users', 'add', 'ann', '--store', file, '--json')
    expect(added.code).toBe(0)
    const { name, token } = JSON.parse(added.out) as { name: string; token: string }
    expect(name).toBe('ann')
    expect(token).toMatch(/^tsu_[A-Za-z0-9_-]{43}$/)
    const text = await tagsmith('users', 'add', 'bob', '--store', file)
    expect(text.out).toMatch(/^Added bob\. Their token, shown only now:\ntsu_[A-Za-z0-9_-]{43}\n$/)

    const list = await tagsmith('users', 'list', '--store', file)
    expect(list.out).toMatch(/^ann {2}\(added [^)]+\)\nbob {2}\(added [^)]+\)\n$/)
    expect(list.out).not.toContain('tsu_')
    expect(JSON.parse((await tagsmith('users', 'list', '--store', file, '--json')).out).map((u: { name: string }) => u.name)).toEqual(['ann', 'bob'])

    expect(await tagsmith('users', 'add', 'ann', '--store', file)).toMatchObject({ code: 2, err: 'tagsmith users: user "ann" already exists\n' })
    expect(await tagsmith('users', 'add', 'x\ty', '--store', file)).toMatchObject({ code: 2, err: 'tagsmith users: user name "x\\ty" holds a control character\n' })
    expect(await tagsmith('users', 'remove', 'zed', '--store', file)).toMatchObject({ code: 2, err: 'tagsmith users: no user "zed"\n' })
    expect(await tagsmith('users', 'remove', 'ann', '--store', file)).toMatchObject({ code: 0, out: 'Removed ann: their token no longer works.\n' })
    expect((await tagsmith('users', 'list', '--store', file)).out).not.toContain('ann')
    expect((await tagsmith('users', 'list')).err).toContain('give the store with --store URL|FILE (or TAGSMITH_STORE)')
    expect((await tagsmith('users', 'rename', 'a', '--store', file)).err).toContain('unknown action "rename": add, list or remove')
  })

  it('label records --user; history lists both authors newest first, by user and limited; TAGSMITH_STORE names the store', async () => {
    const { file } = await smallProjectFile()
    expect((await tagsmith('label', file, 'a.jpg', 'red=0', '--user', 'ann')).out).toBe('a.jpg: red 1 -> 0\n')
    expect((await tagsmith('label', '--store', file, 'b.jpg', 'blue=0', 'shirt=1', '--user', 'bob')).out).toBe('b.jpg: blue 1 -> 0, shirt 0 -> 1\n')
    process.env.TAGSMITH_STORE = file
    expect((await tagsmith('label', 'c.jpg', 'red=1', '--user', 'ann')).code).toBe(0)

    const all = JSON.parse((await tagsmith('history', '--json')).out) as Entry[]
    expect(all.map((e) => [e.author, e.kind, e.undone, e.changes.length])).toEqual([
      ['ann', 'cells', false, 1],
      ['bob', 'cells', false, 2],
      ['ann', 'cells', false, 1],
    ])
    delete process.env.TAGSMITH_STORE
    const anns = JSON.parse((await tagsmith('history', file, '--user', 'ann', '--json')).out) as Entry[]
    expect(anns.map((e) => e.group)).toEqual([all[0]?.group, all[2]?.group])
    const text = await tagsmith('history', file, '--limit', '2')
    expect(text.out.split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^#${all[0]?.group} {2}\\S+Z {2}ann {2}cells {2}1 cell$`)),
      expect.stringMatching(new RegExp(`^#${all[1]?.group} {2}\\S+Z {2}bob {2}cells {2}2 cells$`)),
      '',
    ])
    expect(await tagsmith('history', file, '--limit', '0')).toMatchObject({ code: 2, err: 'tagsmith history: --limit: bad value "0": give a whole number from 1 to 100000\n' })
    expect(await tagsmith('label', file, 'a.jpg', 'red=1', '--user', '')).toMatchObject({ code: 2, err: 'tagsmith label: --user: user name "" is empty\n' })
    expect((await tagsmith('stats', file, '--store', file)).err).toContain('give the project once')
  })

  it('add, rescan and labels on a team store that cannot be reached name the server, never the password', async () => {
    const url = 'postgresql://nobody:secret-pw@127.0.0.1:1/none'
    for (const args of [
      ['add', url, 'x.jpg'],
      ['rescan', '--store', url],
      ['labels', url, 'add', 'scarf'],
    ]) {
      const run = await tagsmith(...args)
      expect(run.code).not.toBe(0)
      expect(run.err).toContain(`tagsmith ${args[0]}: cannot reach PostgreSQL at 127.0.0.1:1: connection refused`)
      expect(run.err).not.toContain('secret-pw')
    }
  })

  it('two processes labeling one file at once, as two users, both land; history shows both authors', async () => {
    const { file } = await smallProjectFile()
    const runs = await Promise.all([
      spawnTagsmith('label', file, 'a.jpg', 'blue=1', '--user', 'ann', '--json'),
      spawnTagsmith('label', file, 'd.jpg', 'shirt=1', '--user', 'bob', '--json'),
      spawnTagsmith('label', file, 'c.jpg', 'shirt=1', '--user', 'ann', '--json'),
    ])
    expect(runs.map((r) => [r.code, r.stderr])).toEqual([[0, ''], [0, ''], [0, '']])
    const history = JSON.parse((await tagsmith('history', file, '--json')).out) as Entry[]
    expect(history.map((e) => e.author).sort()).toEqual(['ann', 'ann', 'bob'])
    expect(new Set(history.map((e) => e.group)).size).toBe(3)
    const stats = JSON.parse((await tagsmith('stats', file, '--json')).out) as { perSplit: { train: { counts: Record<string, number> } } }
    expect(stats.perSplit.train.counts).toMatchObject({ blue: 3, shirt: 3 })
  })
})
