import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ResidentJob } from '../../../src-main/core/jobs/resident-job.ts'

// A resident job (the Try panel's model) runs its calls one after another in one long-lived child: the
// child is kept between calls, a crash fails only the call it ran, a cancel stops the call, the child is
// stopped when idle and started again by the next call. Stand-in job modules from jobs/.
const job = (name: string): string => path.join(import.meta.dirname, 'jobs', `${name}.ts`)
const open: Array<ResidentJob<'try'>> = []

/** A resident job running `module` (the kind only names the child). */
function resident(module: string, idleMs?: number): ResidentJob<'try'> {
  const r = new ResidentJob('try', { module: job(module), ...(idleMs === undefined ? {} : { idleMs }) })
  open.push(r)
  return r
}

const echo = async (r: ResidentJob<'try'>, items: number[]): Promise<{ doubled: number[]; pid: number }> =>
  (await r.run({ items } as never)) as unknown as { doubled: number[]; pid: number }

afterEach(() => {
  for (const r of open.splice(0)) r.close()
})

describe('a resident job', () => {
  it('answers calls in order from one child, which it keeps between them', async () => {
    const r = resident('echo-job')
    const [a, b] = await Promise.all([echo(r, [1, 2]), echo(r, [3])])
    expect(a?.doubled).toEqual([2, 4])
    expect(b?.doubled).toEqual([6])
    expect(a?.pid).toBe(b?.pid)
    expect(a?.pid).not.toBe(process.pid)
    expect(r.running).toBe(true)
  })

  it('fails the call a crash ended, and the next call starts another child', async () => {
    const r = resident('crash-job')
    await expect(r.run({ how: 'exit' } as never)).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/crashed \(exit code 3\)/) })
    expect(r.running).toBe(false)
    await expect(r.run({ how: 'throw' } as never)).rejects.toMatchObject({ code: 'INTERNAL', message: 'bad thing in the job' })
    // A thrown error is the call's; the child stays for the next.
    expect(r.running).toBe(true)
  })

  it('cancels the running call and keeps the child when the call stops in time', async () => {
    const r = resident('wait-for-cancel-job')
    const controller = new AbortController()
    // The job says it is waiting: cancel then.
    const call = r.run({} as never, { signal: controller.signal, onProgress: () => controller.abort() })
    await expect(call).rejects.toMatchObject({ code: 'CANCELLED' })
    expect(r.running).toBe(true)
  })

  it('stops an idle child and starts a new one on the next call; a closed one refuses calls', async () => {
    const r = resident('echo-job', 300)
    const first = await echo(r, [1])
    await expect.poll(() => r.running, { timeout: 3000 }).toBe(false)
    const second = await echo(r, [1])
    expect(second.pid).not.toBe(first.pid)
    r.close()
    await expect(echo(r, [1])).rejects.toMatchObject({ code: 'UNAVAILABLE' })
  })
})
