// Jobs in the desktop app run in Electron utility processes. Chromium starts those itself, so the app
// never runs its own binary as a plain Node and the RunAsNode fuse can stay off.
import { utilityProcess } from 'electron'
import type { JobLauncher } from '../core/jobs/launcher.ts'
import type { ChildMessage } from '../core/jobs/protocol.ts'
import { setJobLauncher } from '../core/jobs/run-job.ts'

/** after the exit, how long the rest of a child's stderr may take to arrive */
const STDERR_DRAIN_MS = 1000

export const utilityProcessLauncher: JobLauncher = (spec, on) => {
  const child = utilityProcess.fork(spec.entry, [], {
    env: spec.env,
    execArgv: spec.execArgv,
    stdio: 'pipe',
    serviceName: `Tagsmith ${spec.name} job`,
  })
  let exited = false
  child.stdout?.resume() // libraries may print; never let a full pipe block the child
  const stderr = child.stderr
  const onStderr = (text: string): void => on.stderr(text)
  stderr?.setEncoding('utf8')
  stderr?.on('data', onStderr)
  child.on('message', (msg: ChildMessage) => on.message(msg))
  // A fatal V8 error; 'exit' follows.
  child.on('error', (type, location) => on.stderr(`\n${type} at ${location}\n`))
  child.on('exit', (code) => {
    exited = true
    // Electron takes every listener off the streams once 'exit' is out, though the last lines a crashing
    // child wrote may still be in the pipe: listen again before any more arrives (a tick, not later: a
    // stream left without a reader stalls its pipe for good), and report the close when stderr has ended.
    // Messages cannot be late: Electron drops those, and the worker waits for our ack before exiting.
    process.nextTick(() => void drain(stderr, onStderr).then(() => on.close({ code, signal: null })))
  })
  const kill = (): void => {
    const pid = child.pid
    if (pid === undefined) {
      if (!exited) child.once('spawn', kill)
      return
    }
    // SIGKILL at once, as for a Node child: Electron's kill() sends SIGTERM and escalates only later.
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // gone already: its 'exit' reports that
    }
  }
  return { send: async (msg) => child.postMessage(msg), kill }
}

function drain(stream: NodeJS.ReadableStream | null, onText: (text: string) => void): Promise<void> {
  if (!stream || ('readableEnded' in stream && stream.readableEnded === true)) return Promise.resolve()
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer)
      stream.off('data', onText)
      resolve()
    }
    const timer = setTimeout(done, STDERR_DRAIN_MS)
    stream.on('data', onText)
    stream.once('end', done)
  })
}

/** Start every job from now on as an Electron utility process. */
export function useUtilityProcessesForJobs(): void {
  setJobLauncher(utilityProcessLauncher)
}
