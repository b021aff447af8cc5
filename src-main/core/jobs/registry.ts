// Every kind of child-process job. A kind's name is the name of its module in kinds/, and its types are
// those of the module's run(): the input it takes, the result it answers, and the events it sends.
import type * as backend from './kinds/backend.ts'
import type * as exportModel from './kinds/export-model.ts'
import type * as extract from './kinds/extract.ts'
import type * as nearDuplicates from './kinds/near-duplicates.ts'
import type * as predict from './kinds/predict.ts'
import type * as thumbnails from './kinds/thumbnails.ts'
import type * as train from './kinds/train.ts'
import type * as tryImages from './kinds/try.ts'
import type { JobContext } from './protocol.ts'

interface KindModules {
  backend: typeof backend
  'export-model': typeof exportModel
  extract: typeof extract
  'near-duplicates': typeof nearDuplicates
  predict: typeof predict
  thumbnails: typeof thumbnails
  train: typeof train
  try: typeof tryImages
}

export type JobKind = keyof KindModules

type RunOf<K extends JobKind> = KindModules[K]['run']

export type JobInput<K extends JobKind> = Parameters<RunOf<K>>[0]
export type JobOutput<K extends JobKind> = Awaited<ReturnType<RunOf<K>>>
export type JobEvents<K extends JobKind> = Parameters<RunOf<K>>[1] extends JobContext<infer E> ? E : never

/** The kinds, for what needs them at run time: the build makes an entry of each module. */
export const JOB_KINDS = ['backend', 'export-model', 'extract', 'near-duplicates', 'predict', 'thumbnails', 'train', 'try'] as const satisfies readonly JobKind[]

// A kind missing from the list fails the type check here, naming it.
type Unlisted = Exclude<JobKind, (typeof JOB_KINDS)[number]>
const _everyKindListed: [Unlisted] extends [never] ? true : Unlisted = true
