import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tagsmith } from './run-cli.ts'

// `tagsmith groups P "colour=black,blue"` names a group; a group given without a name keeps the one it
// had with the same labels, "=A,B" clears it; --json and the text print the names.
let dir: string
let project: string

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tagsmith-cli-names-'))
  // Images need not exist for groups: missing ones are flagged, never fatal.
  const csv = path.join(dir, 'train.csv')
  fs.writeFileSync(csv, ',image,black,blue,dress,shirt\n0,a.jpg,1,0,1,0\n1,b.jpg,0,1,0,1\n')
  project = path.join(dir, 'p.tagsmith')
  expect((await tagsmith('import', csv, '--project', project, '--json')).code).toBe(0)
}, 60_000)

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
})

describe('tagsmith groups with names', () => {
  it('sets, keeps, clears and prints names', async () => {
    const set = await tagsmith('groups', project, 'colour=black,blue', 'dress,shirt', '--json')
    expect(set).toMatchObject({ code: 0, stderr: '' })
    expect(JSON.parse(set.stdout)).toEqual({ groups: [['black', 'blue'], ['dress', 'shirt']], names: ['colour', ''] })

    // Given again without names (and in another order), the colours keep theirs.
    const kept = await tagsmith('groups', project, 'garment=dress,shirt', 'blue,black', '--json')
    expect(JSON.parse(kept.stdout)).toEqual({ groups: [['dress', 'shirt'], ['blue', 'black']], names: ['garment', 'colour'] })

    const text = await tagsmith('groups', project)
    expect(text.stdout).toBe('group 1 (garment): dress, shirt\ngroup 2 (colour): blue, black\n')

    const cleared = await tagsmith('groups', project, '=dress,shirt', 'blue,black', '--json')
    expect(JSON.parse(cleared.stdout)).toEqual({ groups: [['dress', 'shirt'], ['blue', 'black']], names: ['', 'colour'] })
  })

  it('refuses two groups of one name, naming them', async () => {
    const bad = await tagsmith('groups', project, 'x=black,blue', 'X=dress,shirt')
    expect(bad).toMatchObject({ code: 2, stderr: 'tagsmith groups: groups 1 and 2 are both named "X"\n' })
  })
})
