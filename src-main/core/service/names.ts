// The allow-lists of request and event names. Dependency-free so the sandboxed preload can bundle it;
// the type checks below fail the build when the contract gains a name that is missing here.
import type { EventName, RequestName } from '../../../src-preload/contract.ts'

export const REQUEST_NAMES = [
  'app:info',
  'project:open',
  'project:import',
  'project:current',
  'project:recent',
  'project:close',
  'images:list',
  'labels:set',
  'labels:undo',
  'labels:redo',
  'labels:history',
  'groups:set',
  'split:set',
  'dataset:changes',
  'dataset:export',
  'job:cancel',
  'dialog:openCsv',
  'dialog:openProject',
  'dialog:chooseFolder',
  'train:backends',
  'train:start',
  'train:current',
  'train:runs',
  'train:run',
  'train:delete',
  'predict:get',
  'thresholds:set',
  'thresholds:tune',
  'model:export',
  'quality:suspects',
  'quality:review',
  'quality:uncertain',
  'quality:confirm',
  'health:get',
] as const satisfies readonly RequestName[]

export const EVENT_NAMES = ['job:progress', 'job:ended', 'labels:changed', 'app:command', 'train:epoch', 'train:done'] as const satisfies readonly EventName[]

type Exhaustive<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : Exclude<All, Listed>
const requestsListed: Exhaustive<RequestName, (typeof REQUEST_NAMES)[number]> = true
const eventsListed: Exhaustive<EventName, (typeof EVENT_NAMES)[number]> = true
void requestsListed
void eventsListed

const requestSet: ReadonlySet<string> = new Set(REQUEST_NAMES)
const eventSet: ReadonlySet<string> = new Set(EVENT_NAMES)

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && requestSet.has(name)
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && eventSet.has(name)
}
