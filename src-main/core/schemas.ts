// One schema per request: every input from the UI (IPC or WebSocket) is checked here before it reaches
// the project. Objects are strict, so unknown fields are refused rather than silently ignored.
import { z } from 'zod'
import type { RequestName, Requests } from '../../src-preload/contract.ts'

const MAX_PATH = 4096
const MAX_BATCH = 1_000_000

const path = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_PATH, `must be at most ${MAX_PATH} characters`)
  .refine((s) => !s.includes('\0'), 'must not contain a NUL character')

const none = z.strictObject({})
const imageId = z.int().positive()
const label = z.string().min(1).max(1000)
// A label's new name: empty, blank, 'image' and taken names are refused by the project, naming the value.
const labelName = z.string().max(1000)
const split = z.enum(['train', 'val', 'test'])

// Training settings: bounds wide enough for any sensible run, narrow enough to refuse typos (a learning rate of 10, 1e9 epochs).
const trainSettings = z.strictObject({
  preset: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/).optional(),
  backbone: path.optional(),
  epochs: z.int().min(1).max(10_000).optional(),
  learningRate: z.number().gt(0).max(1).optional(),
  batchSize: z.int().min(1).max(65_536).optional(),
  seed: z.int().min(0).max(2 ** 31 - 1).optional(),
  l2: z.number().min(0).max(1).optional(),
  classWeighting: z.boolean().optional(),
  hiddenUnits: z.int().min(0).max(4096).optional(),
  dropout: z.number().min(0).lt(1).optional(),
  earlyStopping: z.boolean().optional(),
  patience: z.int().min(0).max(10_000).optional(),
  engine: z.enum(['onnx', 'tfjs-node', 'wasm', 'cpu']).optional(),
})
const runId = z.strictObject({ id: z.int().positive() })
const positiveId = z.int().positive()
// A threshold per label: probabilities are in [0, 1]; 0 and 1 mean always and never (barring exactly 1).
const queueLimit = z.int().min(1).max(MAX_BATCH)
// Images to try: the service refuses a file above 40 MB by name (try-model.ts); this only caps a message.
const TRY_MAX_BASE64 = 64 * 1024 * 1024
const ADD_MAX_BASE64 = Math.ceil((40 * 1024 * 1024) / 3) * 4
const thresholds = z.array(z.number().min(0).max(1)).min(1).max(100_000)

// A folder import: labels as columns, folder names as labels, and how rows are split.
const folderImport = z.strictObject({
  dir: path,
  labels: z.array(label).min(1).max(10_000).optional(),
  labelsFromFolders: z.boolean().optional(),
  separator: z.string().min(1).max(10).optional(),
  split: z
    .discriminatedUnion('kind', [
      z.strictObject({
        kind: z.literal('ratio'),
        ratio: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1), z.number().min(0).max(1)]),
        seed: z.int().min(0).max(2 ** 31 - 1).optional(),
      }),
      z.strictObject({ kind: z.literal('all'), split }),
      z.strictObject({ kind: z.literal('folders') }),
    ])
    .optional(),
})

export const requestSchemas = {
  'app:info': none,
  'project:open': z.strictObject({ file: path }),
  'project:import': z.strictObject({
    csvs: z.array(path).min(1, 'name at least one CSV file').max(100),
    imagesDir: path.optional(),
    projectFile: path.optional(),
  }),
  'project:folderPreview': folderImport,
  'project:importFolder': folderImport.extend({ projectFile: path.optional() }),
  'project:current': none,
  'project:recent': none,
  'project:close': none,
  'images:list': none,
  'images:tints': none,
  'labels:set': z.strictObject({
    changes: z
      .array(z.strictObject({ imageId, label, value: z.union([z.literal(0), z.literal(1)]) }))
      .min(1, 'must hold at least one change')
      .max(MAX_BATCH),
  }),
  'labels:undo': none,
  'labels:redo': none,
  'labels:history': none,
  'labels:edit': z.discriminatedUnion('op', [
    z.strictObject({ op: z.literal('add'), name: labelName, value: z.union([z.literal(0), z.null()]).optional() }),
    z.strictObject({ op: z.literal('rename'), name: labelName, to: labelName }),
    z.strictObject({ op: z.literal('remove'), name: labelName }),
    z.strictObject({ op: z.literal('move'), name: labelName, to: z.int().min(1).max(100_000) }),
  ]),
  'groups:set': z
    .strictObject({
      groups: z.array(z.array(label).min(2, 'a group needs at least two labels')).max(1000),
      names: z.array(z.string().max(100)).max(1000).optional(),
    })
    .refine((v) => v.names === undefined || v.names.length === v.groups.length, { message: 'give one name per group', path: ['names'] }),
  'groups:suggest': none,
  'split:set': z.strictObject({ imageIds: z.array(imageId).min(1).max(MAX_BATCH), split }),
  'dataset:changes': none,
  'dataset:export': z.strictObject({ outDir: path.optional() }),
  'job:cancel': z.strictObject({ jobId: z.string().min(1).max(200) }),
  'dialog:openCsv': none,
  'dialog:openProject': none,
  'dialog:chooseFolder': z.strictObject({ title: z.string().max(200).optional() }),
  'image:reveal': z.strictObject({ id: imageId }),
  'train:backends': none,
  'train:start': trainSettings,
  'train:current': none,
  'train:runs': none,
  'train:run': runId,
  'train:delete': runId,
  'predict:get': z.strictObject({ runId: positiveId.optional() }),
  'thresholds:set': z.strictObject({ runId: positiveId, thresholds }),
  'thresholds:tune': z.discriminatedUnion('target', [
    z.strictObject({ runId: positiveId, target: z.literal('f1') }),
    z.strictObject({ runId: positiveId, target: z.literal('precision'), precision: z.number().gt(0).max(1) }),
  ]),
  'model:export': z.strictObject({ runId: positiveId.optional(), outDir: path }),
  'model:try': z.strictObject({
    runId: positiveId.optional(),
    files: z
      .array(z.strictObject({ name: z.string().min(1).max(1000), bytesBase64: z.string().max(TRY_MAX_BASE64) }))
      .max(64),
    decodeGroups: z.boolean().optional(),
  }),
  'quality:suspects': z.strictObject({ runId: positiveId.optional(), limit: queueLimit.optional() }),
  'quality:review': z.strictObject({ runId: positiveId, imageId, label, action: z.enum(['accept', 'keep']) }),
  'quality:uncertain': z.strictObject({ runId: positiveId.optional(), limit: queueLimit.optional() }),
  'quality:confirm': z.strictObject({ runId: positiveId, imageId }),
  'health:get': z.strictObject({ similarity: z.number().gt(0).max(1).optional(), runId: positiveId.optional() }),
  'images:similar': z.strictObject({ imageId, runId: positiveId.optional(), top: z.int().min(1).max(5000).optional() }),
  'images:add': z
    .strictObject({
      paths: z.array(path).max(100_000).optional(),
      // A file is at most 40 MB (add-uploads.ts); its base64 text a third more.
      uploads: z.array(z.strictObject({ name: z.string().min(1).max(1000), dataBase64: z.string().max(ADD_MAX_BASE64) })).max(1000).optional(),
      split: split.optional(),
      csv: z.string().min(1).max(1000).optional(),
      labelsFromFolders: z.union([z.boolean(), z.string().min(1).max(10)]).optional(),
      cells: z.record(label, z.union([z.literal(0), z.literal(1), z.null()])).optional(),
    })
    .refine((v) => (v.paths?.length ?? 0) + (v.uploads?.length ?? 0) > 0, 'give at least one path or upload'),
  'images:rescan': none,
} as const satisfies { [K in RequestName]: z.ZodType<Requests[K]['in']> }

/** A readable one-line account of why an input was refused: "changes.0.value: Invalid input". */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'input'}: ${issue.message}`)
    .join('; ')
}
