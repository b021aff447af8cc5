import { describe, expect, it } from 'vitest'
import { FakeClient } from './fake-transport.ts'
import { apparelProject, newService } from './helpers.ts'

const COLOURS = ['black', 'blue', 'brown', 'green', 'red', 'white']
const GARMENTS = ['dress', 'shirt', 'pants', 'shorts', 'shoes']

describe('groups:suggest through the service', () => {
  it('answers the colour and garment groups of 120 apparel rows, then only what no declared group overlaps', async () => {
    const file = await apparelProject(120)
    const client = new FakeClient(newService(), 'ui')
    await client.invoke('project:open', { file })
    const first = await client.invoke('groups:suggest', {})
    expect(first).toEqual({
      suggestions: [
        { labels: COLOURS, support: 120, violations: 0 },
        { labels: GARMENTS, support: 120, violations: 0 },
      ],
      tolerance: 0.01,
      minSupport: 50,
    })

    await client.invoke('groups:set', { groups: [['dress', 'shirt']] })
    expect((await client.invoke('groups:suggest', {})).suggestions.map((s) => s.labels)).toEqual([COLOURS])

    // A label edit is seen at once: a second colour on one image is a violation.
    const rows = await client.invoke('images:list', {})
    const row = rows[0]
    const spare = COLOURS.find((c) => row?.labels[COLOURS.indexOf(c)] === 0) ?? 'black'
    await client.invoke('labels:set', { changes: [{ imageId: row?.id ?? 1, label: spare, value: 1 }] })
    expect((await client.invoke('groups:suggest', {})).suggestions).toEqual([{ labels: COLOURS, support: 120, violations: 1 }])
  })

  it('needs an open project', async () => {
    const client = new FakeClient(newService(), 'ui')
    await expect(client.invoke('groups:suggest', {})).rejects.toMatchObject({ code: 'CONFLICT' })
  })
})
