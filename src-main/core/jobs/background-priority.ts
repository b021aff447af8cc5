// Work nobody waits for (filling the thumbnail cache) runs at the lowest CPU priority, so a thumbnail the
// grid asks for, a training or an extraction gets the cores first and this job only uses idle time.
import { readdirSync } from 'node:fs'
import os from 'node:os'

const LOWEST = 19

/**
 * Lowers this process's priority to the lowest. On Linux a nice value belongs to each thread and a new
 * thread inherits its creator's: every thread running now is lowered (libuv's pool may exist already),
 * and the threads started later (sharp's, libvips') inherit it. Elsewhere the process's class is set.
 * Best effort: a system that refuses leaves the job at normal priority, which is slower but correct.
 */
export function lowerOwnPriority(): void {
  try {
    os.setPriority(0, LOWEST)
  } catch {
    return
  }
  if (process.platform !== 'linux') return
  try {
    for (const tid of readdirSync('/proc/self/task')) os.setPriority(Number(tid), LOWEST)
  } catch {
    // a thread that ended meanwhile; the others are lowered
  }
}
