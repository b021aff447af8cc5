import { fork } from 'node:child_process'
import type { JobLauncher } from './launcher.ts'
import type { ChildMessage } from './protocol.ts'

/** Jobs as Node child processes (the CLI, web mode and tests): child_process.fork over an IPC channel. */
export const forkLauncher: JobLauncher = (spec, on) => {
  const child = fork(spec.entry, [], {
    execArgv: spec.execArgv,
    serialization: 'advanced',
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    // Inside Electron this needs its RunAsNode fuse; the desktop app installs utility processes instead.
    env: process.versions.electron ? { ...spec.env, ELECTRON_RUN_AS_NODE: '1' } : spec.env,
  })
  child.stdout?.resume() // libraries may print; never let a full pipe block the child
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (text: string) => on.stderr(text))
  child.on('message', (msg: ChildMessage) => on.message(msg))
  child.on('error', (err) => on.error(err))
  // 'close' comes after the IPC channel has delivered every message and stderr has ended, unlike 'exit'.
  child.on('close', (code, signal) => on.close({ code, signal }))
  return {
    send: (msg) =>
      new Promise<void>((resolve, reject) => {
        if (!child.connected) return reject(new Error('the job process has gone'))
        child.send(msg, (err) => (err ? reject(err) : resolve()))
      }),
    kill: () => void child.kill('SIGKILL'),
  }
}
