// The protocol between the UI and the service: requests with one answer, event streams, and cancel.
// TYPES ONLY: nothing here runs, so the preload, the web bridge and the renderer can all import it.
// This is the one import point; the types live in contract/, a file per domain.
export type * from './contract/dataset.ts'
export type * from './contract/add.ts'
export type * from './contract/folder.ts'
export type * from './contract/jobs.ts'
export type * from './contract/label-set.ts'
export type * from './contract/training.ts'
export type * from './contract/predictions.ts'
export type * from './contract/try.ts'
export type * from './contract/quality.ts'
export type * from './contract/health.ts'
export type * from './contract/similar.ts'
export type * from './contract/requests.ts'
export type * from './contract/transport.ts'
