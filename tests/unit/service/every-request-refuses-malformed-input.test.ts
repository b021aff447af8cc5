import { describe, expect, it } from 'vitest'
import type { RequestName } from '../../../src-preload/contract.ts'
import { REQUEST_NAMES } from '../../../src-shared/names.ts'
import { FakeClient } from './fake-transport.ts'
import { newService } from './helpers.ts'

// Inputs that are wrong for every request: not an object at all.
const NOT_AN_OBJECT: unknown[] = [null, undefined, 42, 'text', [], true]

// Per request, payloads that are objects but wrong: a missing field, a wrong type, an unknown field.
// Typed as a full record so a new request cannot be added without its malformed cases.
const MALFORMED: Record<RequestName, unknown[]> = {
  'app:info': [{ extra: 1 }],
  'project:open': [{}, { file: 42 }, { file: '' }, { file: 'a\0b' }, { file: 'x'.repeat(5000) }, { file: 'p', extra: true }],
  'project:import': [{}, { csvs: [] }, { csvs: 'a.csv' }, { csvs: [1] }, { csvs: ['a.csv'], imagesDir: 3 }, { csvs: ['a.csv'], other: 1 }],
  'project:folderPreview': [
    {},
    { dir: '' },
    { dir: 'd', labels: [] },
    { dir: 'd', labels: [''] },
    { dir: 'd', separator: '' },
    { dir: 'd', split: { kind: 'ratio', ratio: [0.8, 0.2] } },
    { dir: 'd', split: { kind: 'ratio', ratio: [2, 0, 0] } },
    { dir: 'd', split: { kind: 'all', split: 'holdout' } },
    { dir: 'd', split: 'folders' },
    { dir: 'd', projectFile: 'p.tagsmith' },
  ],
  'project:importFolder': [{}, { dir: 3 }, { dir: 'd', labelsFromFolders: 'yes' }, { dir: 'd', split: { kind: 'folders', seed: 1 } }, { dir: 'd', replace: true }],
  'project:current': [{ extra: 1 }],
  'project:recent': [{ extra: 1 }],
  'project:close': [{ extra: 1 }],
  'images:list': [{ filter: 'x' }],
  'images:tints': [{ since: 1 }],
  'labels:set': [
    {},
    { changes: [] },
    { changes: [{ imageId: 1, label: 'red' }] },
    { changes: [{ imageId: 1, label: 'red', value: 2 }] },
    { changes: [{ imageId: 1, label: 'red', value: '1' }] },
    { changes: [{ imageId: 1.5, label: 'red', value: 1 }] },
    { changes: [{ imageId: -1, label: 'red', value: 1 }] },
    { changes: [{ imageId: 1, label: '', value: 1 }] },
    { changes: [{ imageId: 1, label: 'red', value: 1, old: 0 }] },
    { changes: { imageId: 1, label: 'red', value: 1 } },
  ],
  'labels:undo': [{ steps: 2 }],
  'labels:redo': [{ steps: 2 }],
  'labels:history': [{ limit: 5 }],
  'labels:edit': [
    {},
    { op: 'add' },
    { op: 'add', name: 'hat', value: 1 },
    { op: 'rename', name: 'red' },
    { op: 'rename', name: 'red', to: 3 },
    { op: 'move', name: 'red', to: 0 },
    { op: 'move', name: 'red', to: 'first' },
    { op: 'remove', name: 'red', force: true },
    { op: 'drop', name: 'red' },
  ],
  'groups:set': [{}, { groups: [['red']] }, { groups: 'red,blue' }, { groups: [[1, 2]] }],
  'groups:suggest': [{ groups: [] }],
  'split:set': [{}, { imageIds: [1] }, { imageIds: [1], split: 'holdout' }, { imageIds: [], split: 'val' }, { imageIds: ['1'], split: 'val' }],
  'dataset:changes': [{ since: 0 }],
  'dataset:export': [{ outDir: 5 }, { outDir: '' }, { outDir: 'x', overwrite: true }],
  'job:cancel': [{}, { jobId: 7 }, { jobId: '' }],
  'dialog:openCsv': [{ multiple: true }],
  'dialog:openProject': [{ extra: 1 }],
  'dialog:chooseFolder': [{ title: 3 }, { title: 'x', path: '/' }],
  'image:reveal': [{}, { id: '1' }, { id: 0 }, { id: 1.5 }, { imageId: 1 }, { id: 1, path: '/etc/passwd' }],
  'train:backends': [{ refresh: true }],
  'train:start': [
    { epochs: 0 },
    { epochs: 2.5 },
    { epochs: '5' },
    { learningRate: 0 },
    { learningRate: -0.1 },
    { batchSize: 0 },
    { seed: -1 },
    { l2: -1 },
    { classWeighting: 'yes' },
    { hiddenUnits: -1 },
    { hiddenUnits: 1.5 },
    { dropout: 1 },
    { dropout: -0.1 },
    { earlyStopping: 'no' },
    { patience: -1 },
    { backbone: '' },
    { lr: 0.01 },
    { engine: 'gpu' },
  ],
  'train:current': [{ jobId: 'x' }],
  'train:runs': [{ limit: 5 }],
  'train:run': [{}, { id: 0 }, { id: '1' }, { id: 1.5 }, { id: 1, extra: true }],
  'train:delete': [{}, { id: -1 }, { id: 'all' }],
  'predict:get': [{ runId: 0 }, { runId: '1' }, { runId: 1.5 }, { runId: 1, split: 'val' }],
  'thresholds:set': [
    {},
    { runId: 1 },
    { thresholds: [0.5] },
    { runId: 1, thresholds: [] },
    { runId: 1, thresholds: [1.5] },
    { runId: 1, thresholds: [-0.1] },
    { runId: 1, thresholds: ['0.5'] },
    { runId: 1, thresholds: [Number.NaN] },
    { runId: 1, thresholds: 0.5 },
    { runId: 1, thresholds: [0.5], label: 'red' },
  ],
  'thresholds:tune': [
    {},
    { runId: 1 },
    { runId: 1, target: 'recall' },
    { runId: 1, target: 'precision' },
    { runId: 1, target: 'precision', precision: 0 },
    { runId: 1, target: 'precision', precision: 1.2 },
    { runId: 1, target: 'f1', precision: 0.9 },
    { target: 'f1' },
    { runId: '1', target: 'f1' },
  ],
  'model:export': [{}, { outDir: '' }, { outDir: 3 }, { outDir: 'a\0b' }, { outDir: 'x', runId: 0 }, { outDir: 'x', format: 'onnx' }],
  'model:try': [
    {},
    { files: [{ name: 'a.jpg' }] },
    { files: [{ name: '', bytesBase64: 'AA==' }] },
    { files: [{ name: 'a.jpg', bytesBase64: 3 }] },
    { files: [{ name: 'a.jpg', bytesBase64: 'AA==', path: '/a.jpg' }] },
    { runId: 0, files: [{ name: 'a.jpg', bytesBase64: 'AA==' }] },
    { files: [{ name: 'a.jpg', bytesBase64: 'AA==' }], decodeGroups: 'yes' },
  ],
  'quality:suspects': [{ runId: 0 }, { limit: 0 }, { limit: 'all' }, { runId: 1, extra: true }],
  'quality:review': [
    {},
    { runId: 1, imageId: 1, label: 'red' },
    { runId: 1, imageId: 1, label: 'red', action: 'fix' },
    { runId: 1, imageId: 0, label: 'red', action: 'keep' },
    { runId: 1, imageId: 1, label: '', action: 'keep' },
  ],
  'quality:uncertain': [{ runId: -1 }, { limit: 1.5 }, { order: 'asc' }],
  'quality:confirm': [{}, { runId: 1 }, { runId: 1, imageId: 'x' }],
  'health:get': [{ similarity: 0 }, { similarity: 1.5 }, { similarity: '0.9' }, { runId: 0 }, { runId: '1' }, { run: 1 }],
  'images:similar': [{}, { imageId: 0 }, { imageId: '1' }, { imageId: 1, top: 0 }, { imageId: 1, top: 5001 }, { imageId: 1, top: 2.5 }, { imageId: 1, runId: 0 }, { imageId: 1, image: 'a.jpg' }],
  'images:add': [
    {},
    { paths: [] },
    { paths: 'a.jpg' },
    { paths: ['a.jpg'], split: 'dev' },
    { paths: ['a.jpg'], cells: { cat: 2 } },
    { paths: ['a.jpg'], labelsFromFolders: '' },
    { uploads: [{ name: 'a.jpg' }] },
    { uploads: [{ name: '', dataBase64: '' }] },
    { paths: ['a.jpg'], folder: true },
  ],
  'images:rescan': [{ all: true }],
}

describe('every request refuses a malformed payload with BAD_INPUT', () => {
  for (const name of REQUEST_NAMES) {
    it(name, async () => {
      const client = new FakeClient(newService(), 'fuzz')
      for (const input of [...NOT_AN_OBJECT, ...MALFORMED[name]]) {
        const error = await client.invokeRaw(name, input).then(
          () => expect.unreachable(`${name} accepted ${JSON.stringify(input)}`),
          (err: unknown) => err,
        )
        expect(error, `${name} with ${JSON.stringify(input)}`).toEqual({ code: 'BAD_INPUT', message: expect.stringContaining(name) })
      }
    })
  }

  it('refuses unknown request names, including ones shaped like real names', async () => {
    const client = new FakeClient(newService(), 'fuzz')
    for (const name of ['project:delete', 'constructor', '__proto__', 'toString', '', 42, null, { name: 'app:info' }]) {
      await expect(client.invokeRaw(name, {})).rejects.toEqual({ code: 'BAD_INPUT', message: expect.stringMatching(/^unknown request/) })
    }
  })

  it('answers a valid payload for a request that needs no project', async () => {
    const client = new FakeClient(newService(), 'ok')
    await expect(client.invoke('app:info', {})).resolves.toEqual({ version: '0.0.0-test', mode: 'web' })
  })
})
