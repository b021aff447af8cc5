// A child's line to its parent, written synchronously so it is out before a SIGKILL can land. A pipe the
// parent has not drained yet answers EAGAIN on a busy machine: wait a millisecond and write the rest.
import { writeSync } from 'node:fs'

const pause = new Int32Array(new SharedArrayBuffer(4))

export function printLine(line: string, fd = 1): void {
  const bytes = Buffer.from(`${line}\n`)
  let offset = 0
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err
      Atomics.wait(pause, 0, 0, 1)
    }
  }
}
