// The allow-lists of request and event names. Dependency-free so the sandboxed preload can bundle it;
// the contract's type check fails when these lists and its requests or events differ.

export const REQUEST_NAMES = [
  'app:info',
  'project:open',
  'project:import',
  'project:folderPreview',
  'project:importFolder',
  'project:current',
  'project:recent',
  'project:close',
  'images:list',
  'images:tints',
  'labels:set',
  'labels:undo',
  'labels:redo',
  'labels:history',
  'labels:edit',
  'groups:set',
  'groups:suggest',
  'split:set',
  'dataset:changes',
  'dataset:export',
  'job:cancel',
  'dialog:openCsv',
  'dialog:openProject',
  'dialog:chooseFolder',
  'image:reveal',
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
  'model:try',
  'quality:suspects',
  'quality:review',
  'quality:uncertain',
  'quality:confirm',
  'health:get',
  'images:similar',
  'images:add',
  'images:rescan',
] as const

export const EVENT_NAMES = ['job:progress', 'job:ended', 'labels:changed', 'app:command', 'train:epoch', 'train:done'] as const

export type ListedRequestName = (typeof REQUEST_NAMES)[number]
export type ListedEventName = (typeof EVENT_NAMES)[number]

const requestSet: ReadonlySet<string> = new Set(REQUEST_NAMES)
const eventSet: ReadonlySet<string> = new Set(EVENT_NAMES)

export function isRequestName(name: unknown): name is ListedRequestName {
  return typeof name === 'string' && requestSet.has(name)
}

export function isEventName(name: unknown): name is ListedEventName {
  return typeof name === 'string' && eventSet.has(name)
}
