// Export from any engine: byte-identical CSVs when nothing was edited, and only the edited cells changed after.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../unit/dataset/helpers.ts'
import { engines } from './engines.ts'
import { TRAIN_CSV, VAL_CSV, idOf, smallStore } from './fixture.ts'

describe.each(engines)('$name store export', (engine) => {
  it('writes each CSV byte for byte when nothing was edited', async () => {
    const { store } = await smallStore(engine)
    const out = tempDir()
    const files = await store.exportCsvs(out)
    expect(files).toEqual([join(out, 'train.csv'), join(out, 'val.csv')])
    expect(readFileSync(join(out, 'train.csv'), 'utf8')).toBe(TRAIN_CSV)
    expect(readFileSync(join(out, 'val.csv'), 'utf8')).toBe(VAL_CSV)
  })

  it('changes only the edited cells, in each file\'s value style; an undone edit writes the original back', async () => {
    const { store } = await smallStore(engine)
    const [c, e] = [await idOf(store, 'c.jpg'), await idOf(store, 'e.jpg')]
    await store.setLabels(
      [
        { imageId: c, label: 'shirt', value: 1 },
        { imageId: e, label: 'red', value: 1 },
      ],
      'ann',
    )
    await store.setLabels([{ imageId: e, label: 'blue', value: 0 }], 'bob')
    const out = tempDir()
    await store.exportCsvs(out)
    expect(readFileSync(join(out, 'train.csv'), 'utf8')).toBe(TRAIN_CSV.replace('c.jpg,0,0,\n', 'c.jpg,0,0,1\n'))
    expect(readFileSync(join(out, 'val.csv'), 'utf8')).toBe(VAL_CSV.replace('0,./e.jpg,0.0,1.0,1.0', '0,./e.jpg,1.0,0.0,1.0'))
    await store.undo('bob')
    const again = tempDir()
    await store.exportCsvs(again)
    expect(readFileSync(join(again, 'val.csv'), 'utf8')).toBe(VAL_CSV.replace('0,./e.jpg,0.0,1.0,1.0', '0,./e.jpg,1.0,1.0,1.0'))
  })
})
