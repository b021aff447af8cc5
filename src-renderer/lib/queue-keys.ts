import type { QueueTab } from '../stores/queue.ts'

export type QueueKeyAction = 'accept' | 'keep' | 'skip' | 'confirm'

/** One queue key: the key, whether Shift is held, the queues it applies to, and what it does (the sheet's words). */
export interface QueueKey {
  action: QueueKeyAction
  key: string
  shift: boolean
  tabs: readonly QueueTab[]
  what: string
}

/**
 * The queue's keys in the editor, apart from the label keys, J/K, the arrows, Esc and Ctrl+Z:
 * Enter accepts the model's view (uncertainty queue: confirms the labels as they are), Shift+Enter or
 * Backspace keeps the stored label, Tab skips. The handler and the shortcut sheet both read this list.
 */
export const QUEUE_KEYS: readonly QueueKey[] = [
  { action: 'accept', key: 'Enter', shift: false, tabs: ['suspects'], what: "set the label to the model's view (one undo step)" },
  { action: 'keep', key: 'Enter', shift: true, tabs: ['suspects'], what: 'keep the stored label; it is not asked again' },
  { action: 'keep', key: 'Backspace', shift: false, tabs: ['suspects'], what: 'keep the stored label; it is not asked again' },
  { action: 'keep', key: 'Backspace', shift: true, tabs: ['suspects'], what: 'keep the stored label; it is not asked again' },
  { action: 'confirm', key: 'Enter', shift: false, tabs: ['uncertain'], what: 'the labels are right: the next image' },
  { action: 'skip', key: 'Tab', shift: false, tabs: ['suspects', 'uncertain'], what: 'skip to the next image, no verdict' },
]

export function queueKeyAction(e: { key: string; shiftKey: boolean }, tab: QueueTab): QueueKeyAction | null {
  return QUEUE_KEYS.find((k) => k.key === e.key && k.shift === e.shiftKey && k.tabs.includes(tab))?.action ?? null
}

/** The keys of an action as the buttons' titles name them, e.g. "Shift+Enter or Backspace". */
function hint(action: QueueKeyAction): string {
  const names = QUEUE_KEYS.filter((k) => k.action === action).map((k) => (k.shift ? `Shift+${k.key}` : k.key))
  // Shift+Backspace does what Backspace does: one name says both.
  return names.filter((n) => !(n.startsWith('Shift+') && names.includes(n.slice(6)))).join(' or ')
}

/** The key names shown on the buttons. */
export const QUEUE_KEY_HINTS: Record<QueueKeyAction, string> = {
  accept: hint('accept'),
  keep: hint('keep'),
  skip: hint('skip'),
  confirm: hint('confirm'),
}
