import { resolve } from 'node:path'
import { TagsmithError } from '../../core/errors.ts'
import { Service } from '../../core/service/index.ts'
import { defaultConfigDir } from '../../core/service/config-dir.ts'
import { defaultUiDir, packageVersion } from '../../server/package-root.ts'
import { startServer } from '../../server/server.ts'
import { parseCommandArgs, type CliCommand } from '../command.ts'

export const command: CliCommand = {
  help: `Usage: tagsmith serve [project] [--port N] [--json] [--ui DIR]

Opens Tagsmith in your web browser: serves the app on 127.0.0.1 (this machine only) and prints
its address, which carries a random access token. Stop with Ctrl+C.

  project    a .tagsmith project file to open (otherwise choose one in the app)
  --port N   port to listen on (default 0: any free port)
  --json     print {"url","port","token"} instead of the sentence
  --ui DIR   serve the app from DIR instead of the built out/renderer
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      port: { type: 'string', default: '0' },
      json: { type: 'boolean' },
      ui: { type: 'string' },
    })
    if (positionals.length > 1) throw new TagsmithError('BAD_INPUT', 'give at most one project file')
    const port = Number(values.port)
    if (!/^\d+$/.test(values.port) || port > 65535) {
      throw new TagsmithError('BAD_INPUT', `--port must be a number from 0 to 65535, got ${JSON.stringify(values.port)}`)
    }
    const service = new Service({ configDir: defaultConfigDir(), mode: 'web', version: packageVersion(), backgroundThumbnails: true })
    const project = positionals[0]
    if (project !== undefined) await service.request('project:open', { file: resolve(project) })

    let server: Awaited<ReturnType<typeof startServer>>
    try {
      server = await startServer({ service, port, uiDir: values.ui ? resolve(values.ui) : defaultUiDir() })
    } catch (err) {
      service.close()
      const reason = err instanceof Error ? err.message : String(err)
      throw new TagsmithError('BAD_INPUT', `cannot listen on 127.0.0.1:${port}: ${reason}`)
    }
    const { url, token } = server
    const what = service.project ? `${service.project.file} ` : ''
    io.out(values.json ? `${JSON.stringify({ url, port: server.port, token })}\n` : `Tagsmith is serving ${what}at ${url}\n`)
    // Read the rows while the browser starts, so the page's first images:list finds them ready (an error
    // here is met again, and shown, when the page asks).
    if (service.project) setImmediate(() => void service.request('images:list', {}).catch(() => undefined))

    const signal = await new Promise<NodeJS.Signals>((done) => {
      process.once('SIGINT', done)
      process.once('SIGTERM', done)
    })
    await server.close()
    service.close()
    if (!values.json) io.err(`tagsmith serve: stopped (${signal})\n`)
    return 0
  },
}
