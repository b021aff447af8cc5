// Finds processes by a marker in their environment (Linux /proc): the job processes a killed app
// process had started inherit it, so a test can tell whether any of them outlived the app.
import { existsSync, readdirSync, readFileSync } from 'node:fs'

export const canListProcesses = (): boolean => existsSync('/proc/self/environ')

export function processesWithMarker(name: string, value: string): number[] {
  const needle = `${name}=${value}\0`
  const found: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue
    try {
      if (`${readFileSync(`/proc/${entry}/environ`, 'latin1')}\0`.includes(needle)) found.push(Number(entry))
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found
}

/**
 * Resolves with the marked processes still alive after `ms`. There is no event for the exit of a
 * process that is not our child, so this looks again every 50 ms until none is left or time is up.
 */
export async function survivorsAfter(name: string, value: string, ms: number): Promise<number[]> {
  const deadline = performance.now() + ms
  for (;;) {
    const alive = processesWithMarker(name, value)
    if (alive.length === 0 || performance.now() > deadline) return alive
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
