/** The waits before each retry of an outage: 0.5 s, 1, 2, 4, 8, then what is left of 30 s. */
export const RETRY_DELAYS_MS: readonly number[] = [500, 1000, 2000, 4000, 8000, 14_500]

export interface RetryLineOptions {
  /** Whether a failure is worth another try (the store's database is away), not a refusal. */
  retryable(err: unknown): boolean
  /** Told the failure being waited out, and null once nothing waits. */
  onWait(failure: unknown): void
  /** What the waiting requests fail with when the waits are used up. */
  giveUp(failure: unknown): unknown
  delays?: readonly number[]
}

interface Waiting {
  seq: number
  send(): Promise<unknown>
  resolve(value: unknown): void
  reject(err: unknown): void
}

/**
 * Runs requests that are safe to send again; one that fails retryably waits in a line and is sent again
 * after each delay, oldest first, until it goes through or the delays are used up. While anything waits,
 * new requests join the line instead of overtaking it: a later edit of a cell must land after an earlier one.
 */
export function retryLine(opts: RetryLineOptions): { run<T>(send: () => Promise<T>): Promise<T>; stop(): void } {
  const delays = opts.delays ?? RETRY_DELAYS_MS
  let line: Waiting[] = []
  let seq = 0
  let tries = 0
  let failure: unknown = null
  let timer: ReturnType<typeof setTimeout> | null = null
  let draining = false

  function wait(entry: Waiting): void {
    // In the order the requests were made, whichever failed first.
    const at = line.findIndex((w) => w.seq > entry.seq)
    if (at < 0) line.push(entry)
    else line.splice(at, 0, entry)
    if (timer === null && !draining) schedule()
  }

  function schedule(): void {
    const delay = delays[tries]
    if (delay === undefined) return giveUp()
    tries++
    opts.onWait(failure)
    timer = setTimeout(() => void drain(), delay)
  }

  async function drain(): Promise<void> {
    timer = null
    draining = true
    while (line[0] !== undefined) {
      const head = line[0]
      try {
        const value = await head.send()
        drop(head)
        tries = 0
        head.resolve(value)
      } catch (err) {
        if (opts.retryable(err)) {
          failure = err
          draining = false
          return schedule()
        }
        drop(head)
        head.reject(err)
      }
    }
    draining = false
    tries = 0
    opts.onWait(null)
  }

  // By identity: an older request that failed meanwhile may have been put before it.
  function drop(entry: Waiting): void {
    const at = line.indexOf(entry)
    if (at >= 0) line.splice(at, 1)
  }

  function giveUp(): void {
    const err = opts.giveUp(failure)
    const given = line
    line = []
    tries = 0
    opts.onWait(null)
    for (const w of given) w.reject(err)
  }

  return {
    async run<T>(send: () => Promise<T>): Promise<T> {
      const mine = seq++
      if (line.length === 0) {
        try {
          return await send()
        } catch (err) {
          if (!opts.retryable(err)) throw err
          failure = err
        }
      }
      return new Promise<T>((resolve, reject) => wait({ seq: mine, send, resolve: resolve as (value: unknown) => void, reject }))
    },
    stop() {
      if (timer !== null) clearTimeout(timer)
      timer = null
      giveUp()
    },
  }
}
