/**
 * Runs `work` once `ms` have passed since the last `poke`: edits that come in bursts ask for a refresh
 * once they rest. `stop` drops a pending run (a panel closed, another project, the store disposed).
 */
export function restTimer(ms: number, work: () => void): { poke(): void; stop(): void } {
  let timer: ReturnType<typeof setTimeout> | null = null
  const stop = (): void => {
    if (timer !== null) clearTimeout(timer)
    timer = null
  }
  return {
    poke() {
      stop()
      timer = setTimeout(() => {
        timer = null
        work()
      }, ms)
    },
    stop,
  }
}
