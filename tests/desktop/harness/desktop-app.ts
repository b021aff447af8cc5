// Starts the built desktop app's main process (out/main/index.js) in Node with the stand-in Electron, and
// talks to it as its window's renderer would. See main-host.ts for the other end.
import { fork, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { FrameInfo, HostReply, HostRequest, ProtocolAnswer, Snapshot } from './host-protocol.ts'
import type { HostNotice } from '../stand-in/recorded.ts'

export const repoRoot = path.resolve(import.meta.dirname, '../../..')
export const mainBundle = path.join(repoRoot, 'out', 'main', 'index.js')

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never
type Request = DistributiveOmit<HostRequest, 'id'>

export interface LaunchOptions {
  /** arguments after the app, as in `electron . <args>` */
  args?: string[]
  env?: NodeJS.ProcessEnv
  /** how long to wait for the first window (ms) */
  timeoutMs?: number
  /** resolve once the process has started instead of waiting for a window */
  noWindow?: boolean
}

export interface DesktopApp {
  /** the address the app loaded into its window */
  readonly windowUrl: string
  invoke(
    channel: string,
    args: unknown[],
    frame: FrameInfo,
  ): Promise<{ ok: true; value: unknown } | { ok: false; error: string }>
  fetch(url: string, method?: string): Promise<ProtocolAnswer | null>
  inspect(): Promise<Snapshot>
  painted(): Promise<void>
  answerNextDialog(paths: string[]): Promise<void>
  secondInstance(argv: string[]): Promise<void>
  /** events the main process sends to the window */
  onSend(listener: (channel: string, args: unknown[]) => void): () => void
  /** quits like closing the last window; resolves with the exit code */
  quit(): Promise<number | null>
  readonly exited: Promise<number | null>
  stderr(): string
}

function hostArgs(): string[] {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
  const register = pathToFileURL(path.join(import.meta.dirname, '..', 'stand-in', 'register.mjs')).href
  return ['--import', tsx, '--import', register]
}

export async function launchDesktopApp(options: LaunchOptions = {}): Promise<DesktopApp> {
  const child: ChildProcess = fork(
    path.join(import.meta.dirname, 'main-host.ts'),
    [mainBundle, ...(options.args ?? [])],
    {
      execArgv: hostArgs(),
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, TAGSMITH_STANDIN_APP_PATH: repoRoot, ...options.env },
    },
  )
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-8000)))
  child.stdout?.resume()
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))

  let nextId = 1
  const pending = new Map<number, (reply: HostReply) => void>()
  const sendListeners = new Set<(channel: string, args: unknown[]) => void>()
  let windowUrl: string | null = null
  let windowSeen: () => void = () => {}
  const firstWindow = new Promise<void>((resolve) => (windowSeen = resolve))

  child.on('message', (message: HostReply | HostNotice) => {
    if (message.type === 'reply') {
      pending.get(message.id)?.(message)
      pending.delete(message.id)
    } else if (message.type === 'window') {
      windowUrl ??= message.url
      windowSeen()
    } else if (message.type === 'send') {
      for (const listener of sendListeners) listener(message.channel, message.args)
    }
  })
  void exited.then(() => {
    for (const [id, resolve] of pending)
      resolve({ type: 'reply', id, ok: false, error: 'the desktop app has exited' })
    pending.clear()
  })

  const request = (message: Request): Promise<HostReply> =>
    new Promise((resolve) => {
      const id = nextId++
      if (child.exitCode !== null || !child.connected)
        return resolve({ type: 'reply', id, ok: false, error: 'the desktop app has exited' })
      pending.set(id, resolve)
      child.send({ ...message, id } as HostRequest)
    })
  const value = async <T>(message: Request): Promise<T> => {
    const reply = await request(message)
    if (!reply.ok) throw new Error(reply.error)
    return reply.value as T
  }

  if (!options.noWindow) {
    const timeout = options.timeoutMs ?? 30_000
    let timer: NodeJS.Timeout | undefined
    const failed = await Promise.race([
      firstWindow.then(() => null),
      exited.then((code) => `the desktop app exited (code ${code}) before opening a window`),
      new Promise<string>(
        (resolve) => (timer = setTimeout(() => resolve(`no window within ${timeout} ms`), timeout)),
      ),
    ])
    clearTimeout(timer)
    if (failed) {
      child.kill('SIGKILL')
      throw new Error(`${failed}\n${stderr}`)
    }
  }

  return {
    get windowUrl() {
      if (windowUrl === null) throw new Error('the app has opened no window')
      return windowUrl
    },
    invoke: async (channel, args, frame) => {
      const reply = await request({ type: 'invoke', channel, args, frame })
      return reply.ok ? { ok: true, value: reply.value } : { ok: false, error: reply.error }
    },
    fetch: (url, method = 'GET') => value<ProtocolAnswer | null>({ type: 'fetch', url, method }),
    inspect: () => value<Snapshot>({ type: 'inspect' }),
    painted: () => value<void>({ type: 'painted' }),
    answerNextDialog: (paths) => value<void>({ type: 'dialog-answer', paths }),
    secondInstance: (argv) => value<void>({ type: 'second-instance', argv }),
    onSend(listener) {
      sendListeners.add(listener)
      return () => void sendListeners.delete(listener)
    },
    async quit() {
      if (child.exitCode === null) {
        void request({ type: 'quit' })
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
        const code = await exited
        clearTimeout(timer)
        return code
      }
      return child.exitCode
    },
    exited,
    stderr: () => stderr,
  }
}
