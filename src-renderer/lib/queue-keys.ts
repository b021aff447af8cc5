import type { QueueTab } from '../stores/queue.ts'

export type QueueKeyAction = 'accept' | 'keep' | 'skip' | 'confirm'

/**
 * The queue's keys in the editor, apart from the label keys, J/K, the arrows, Esc and Ctrl+Z:
 * Enter accepts the model's view (uncertainty queue: confirms the labels as they are), Shift+Enter or
 * Backspace keeps the stored label, Tab skips.
 */
export function queueKeyAction(e: { key: string; shiftKey: boolean }, tab: QueueTab): QueueKeyAction | null {
  if (e.key === 'Tab') return e.shiftKey ? null : 'skip'
  if (tab === 'uncertain') return e.key === 'Enter' && !e.shiftKey ? 'confirm' : null
  if (e.key === 'Enter') return e.shiftKey ? 'keep' : 'accept'
  if (e.key === 'Backspace') return 'keep'
  return null
}

/** The key names shown on the buttons. */
export const QUEUE_KEY_HINTS: Record<QueueKeyAction, string> = {
  accept: 'Enter',
  keep: 'Shift+Enter or Backspace',
  skip: 'Tab',
  confirm: 'Enter',
}
