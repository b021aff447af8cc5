import { afterEach } from 'vitest'
import type {
  EditResult,
  EventName,
  Events,
  ImageRow,
  LabelChange,
  LabelValue,
  ProjectInfo,
  RequestName,
  Requests,
  TagsmithApi,
} from '../../../src-preload/contract.ts'
import { type BridgeError, cloneRefusal } from '../../../src-renderer/bridge-errors.ts'

type Handler<K extends RequestName> = (input: Requests[K]['in']) => Requests[K]['out']
type Handlers = { [K in RequestName]?: Handler<K> }
type Listener = (payload: never) => void

export const APPAREL = ['black', 'blue', 'brown', 'green', 'red', 'white', 'dress', 'shirt', 'pants', 'shorts', 'shoes']

export interface RowSpec {
  path: string
  on: string[]
  split?: ImageRow['split']
  status?: ImageRow['status']
  edited?: boolean
}

// Every fake of the running test file. A payload the real bridge refuses (Electron could not clone it)
// fails the test whatever the test asserts, unless the test took the refusal with takeRefused().
const fakes = new Set<FakeBridge>()
afterEach(() => {
  const refused = [...fakes].flatMap((f) => f.takeRefused())
  fakes.clear()
  if (refused.length > 0) throw new Error(`refused by the bridge:\n${refused.map((e) => e.message).join('\n')}`)
})

/**
 * An in-memory service behind the TagsmithApi: real edit semantics (no-op changes skipped, one undo step per
 * labels:set), every call recorded, and labels:set answers that can be held back to observe "saving". Like
 * the real bridge it refuses a payload the structured-clone algorithm cannot copy; subclasses answer more
 * requests by overriding answer().
 */
export class FakeBridge implements TagsmithApi {
  readonly calls: Array<{ name: RequestName; input: unknown }> = []
  private refused: BridgeError[] = []
  readonly listeners = new Map<EventName, Set<Listener>>()
  info: ProjectInfo
  rows: ImageRow[]
  holdEdits = false
  private held: Array<() => void> = []
  private undoStack: EditResult['changes'][] = []
  private redoStack: EditResult['changes'][] = []
  private nextGroup = 1

  constructor(specs: RowSpec[], labels: string[] = APPAREL, groups: string[][] = []) {
    fakes.add(this)
    this.info = { file: 'p.tagsmith', imagesDir: 'imgs', labels, groups, sources: ['train.csv'], imageCount: specs.length }
    this.rows = specs.map((s, i) => ({
      id: i + 1,
      path: s.path,
      source: 'train.csv',
      split: s.split ?? 'train',
      status: s.status ?? 'ok',
      labels: labels.map((l): LabelValue => (s.on.includes(l) ? 1 : 0)),
      edited: s.edited ?? false,
      hash8: (i + 1).toString(16).padStart(8, '0'),
    }))
  }

  private readonly handlers: Handlers = {
    'app:info': () => ({ version: '0.0.0', mode: 'web' }),
    'project:current': () => this.info,
    'project:recent': () => [],
    'project:open': () => this.info,
    'images:list': () => this.rows.map((r) => ({ ...r, labels: [...r.labels] })),
    'labels:set': ({ changes }) => this.commit(changes),
    'labels:undo': () => this.replay(this.undoStack, this.redoStack, 'old'),
    'labels:redo': () => this.replay(this.redoStack, this.undoStack, 'new'),
    'labels:history': () => this.history(),
    'groups:set': ({ groups, names }) => (this.info = { ...this.info, groups, groupNames: names ?? groups.map(() => '') }),
    'split:set': ({ imageIds, split }) => {
      const ids = new Set(imageIds)
      this.rows = this.rows.map((r) => (ids.has(r.id) ? { ...r, split } : r))
      return this.rows.filter((r) => ids.has(r.id))
    },
    'dataset:changes': () => ({ cells: 0, images: 0, byLabel: {} }),
    'job:cancel': () => null,
  }

  invoke<K extends RequestName>(name: K, input: Requests[K]['in']): Promise<Requests[K]['out']> {
    const refusal = cloneRefusal(name, input)
    if (refusal !== null) {
      this.refused.push(refusal)
      return Promise.reject(refusal)
    }
    this.calls.push({ name, input: structuredClone(input) })
    return this.answer(name, input)
  }

  /** The answer to a request that was sent. */
  protected answer<K extends RequestName>(name: K, input: Requests[K]['in']): Promise<Requests[K]['out']> {
    const handler = this.handlers[name] as Handler<K> | undefined
    if (handler === undefined) return Promise.reject({ code: 'UNAVAILABLE', message: `fake: ${name}` })
    if ((name === 'labels:set' || name === 'split:set') && this.holdEdits) {
      return new Promise((resolve) => this.held.push(() => resolve(handler(input))))
    }
    return Promise.resolve(handler(input))
  }

  on<E extends EventName>(name: E, listener: (payload: Events[E]) => void): () => void {
    const set = this.listeners.get(name) ?? new Set<Listener>()
    set.add(listener as Listener)
    this.listeners.set(name, set)
    return () => set.delete(listener as Listener)
  }

  emit<E extends EventName>(name: E, payload: Events[E]): void {
    for (const l of this.listeners.get(name) ?? []) (l as (p: Events[E]) => void)(payload)
  }

  listenerCount(): number {
    let n = 0
    for (const set of this.listeners.values()) n += set.size
    return n
  }

  imageUrl(imageId: number, kind: 'thumb' | 'full', hash8?: string | null): string {
    return `/img/${kind}/${imageId}${hash8 ? `?v=${hash8}` : ''}`
  }

  pathForFile(): string | null {
    return null
  }

  /** Lets the held labels:set calls answer, oldest first. */
  release(): void {
    const held = this.held
    this.held = []
    for (const go of held) go()
  }

  /** The requests refused so far for a payload Electron cannot clone; taking them keeps the test from failing. */
  takeRefused(): BridgeError[] {
    const taken = this.refused
    this.refused = []
    return taken
  }

  callsOf(name: RequestName): unknown[] {
    return this.calls.filter((c) => c.name === name).map((c) => c.input)
  }

  value(id: number, label: string): LabelValue | undefined {
    return this.rows.find((r) => r.id === id)?.labels[this.info.labels.indexOf(label)]
  }

  private write(id: number, label: string, v: LabelValue): void {
    const row = this.rows.find((r) => r.id === id)
    if (row === undefined) return
    const labels = [...row.labels]
    labels[this.info.labels.indexOf(label)] = v
    this.rows = this.rows.map((r) => (r.id === id ? { ...r, labels, edited: true } : r))
  }

  private history(): { canUndo: boolean; canRedo: boolean } {
    return { canUndo: this.undoStack.length > 0, canRedo: this.redoStack.length > 0 }
  }

  private result(changes: EditResult['changes']): EditResult {
    const ids = new Set(changes.map((c) => c.imageId))
    return { group: this.nextGroup++, changes, rows: this.rows.filter((r) => ids.has(r.id)), ...this.history() }
  }

  private commit(changes: LabelChange[]): EditResult {
    const applied: EditResult['changes'] = []
    for (const c of changes) {
      const old = this.value(c.imageId, c.label)
      if (old === undefined || old === c.value) continue
      this.write(c.imageId, c.label, c.value)
      applied.push({ imageId: c.imageId, label: c.label, old, new: c.value })
    }
    if (applied.length > 0) {
      this.undoStack.push(applied)
      this.redoStack = []
    }
    return this.result(applied)
  }

  private replay(from: EditResult['changes'][], to: EditResult['changes'][], side: 'old' | 'new'): EditResult | null {
    const step = from.pop()
    if (step === undefined) return null
    for (const c of step) this.write(c.imageId, c.label, c[side])
    to.push(step)
    return this.result(step)
  }
}

/** Six images over the apparel labels; one outside the folder, one with two colours (a group violation). */
export function sampleRows(): RowSpec[] {
  return [
    { path: './c/red_dress/a1.jpg', on: ['red', 'dress'] },
    { path: './c/blue_shirt/b2.jpg', on: ['blue', 'shirt'], split: 'val' },
    { path: './c/red_shoes/c3.jpg', on: ['red', 'shoes'] },
    { path: './c/black_pants/d4.jpg', on: ['black', 'pants'], edited: true },
    { path: '../elsewhere/e5.jpg', on: ['white', 'shirt'], status: 'outside' },
    { path: './c/red_dress/f6.jpg', on: ['red', 'blue', 'dress'], split: 'val' },
  ]
}
