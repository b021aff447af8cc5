import { resolve } from 'node:path'
import { TagsmithError } from '../../core/errors.ts'
import { Service } from '../../core/service/index.ts'
import { defaultConfigDir } from '../../core/service/config-dir.ts'
import { defaultUiDir, packageVersion } from '../../server/package-root.ts'
import { planListen } from '../../server/listen.ts'
import { startServer } from '../../server/server.ts'
import { isPostgresUrl } from '../../core/store/open-store.ts'
import { serveTeamStore, type TeamServing } from '../team-serve.ts'
import { STORE_HELP, STORE_OPTIONS, storeLocation } from '../store-option.ts'
import { parseCommandArgs, type CliCommand } from '../command.ts'

export const command: CliCommand = {
  help: `Usage: tagsmith serve [project | --store FILE|URL] [--port N] [--json] [--ui DIR]
                     [--host ADDR (--tls-cert FILE --tls-key FILE | --insecure-http)] [--public-name NAME]

Opens Tagsmith in your web browser: serves the app on 127.0.0.1 (this machine only) and prints
its address, which carries a random access token. Stop with Ctrl+C. Team members open the same
server with their own user token (tagsmith users add NAME): http(s)://HOST:PORT/?token=tsu_…

  project            a .tagsmith project file to open (otherwise choose one in the app), or a
                     team store's postgresql:// URL: the team server (edits go to the database
                     and every server on it shows them live)
  --port N           port to listen on (default 0: any free port)
  --json             print {"url","port","token"} instead of the sentence
  --ui DIR           serve the app from DIR instead of the built out/renderer
  --host ADDR        address to listen on (default 127.0.0.1); another than loopback needs
                     --tls-cert and --tls-key, or --insecure-http
  --tls-cert FILE    certificate (PEM) to serve HTTPS with
  --tls-key FILE     its private key (PEM, unencrypted)
  --insecure-http    serve plain HTTP beyond loopback anyway (tokens and labels travel readable)
  --public-name NAME the name users type to reach this machine (allowed as Host and Origin)
${STORE_HELP}
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      port: { type: 'string', default: '0' },
      json: { type: 'boolean' },
      ui: { type: 'string' },
      host: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'insecure-http': { type: 'boolean' },
      'public-name': { type: 'string' },
      ...STORE_OPTIONS,
    })
    if (positionals.length > 1) throw new TagsmithError('BAD_INPUT', 'give at most one project file')
    const port = Number(values.port)
    if (!/^\d+$/.test(values.port) || port > 65535) {
      throw new TagsmithError('BAD_INPUT', `--port must be a number from 0 to 65535, got ${JSON.stringify(values.port)}`)
    }
    const project = storeLocation(positionals[0], values.store)
    const teamUrl = project !== undefined && isPostgresUrl(project) ? project : undefined
    // Checked before the project opens or anything binds: a refusal changes nothing.
    const plan = planListen({
      host: values.host,
      tlsCert: values['tls-cert'],
      tlsKey: values['tls-key'],
      insecureHttp: values['insecure-http'],
      publicName: values['public-name'],
    })
    // Listen for the stop signals before anything is printed: whoever reads the address (or a warning) may
    // stop the server at once, and a signal with no listener yet would kill it by the default action.
    let stop: (signal: NodeJS.Signals) => void = () => undefined
    const stopped = new Promise<NodeJS.Signals>((done) => (stop = done))
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
    try {
      return await serveUntilStopped()
    } finally {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
    }

    async function serveUntilStopped(): Promise<number> {
      const service = new Service({ configDir: defaultConfigDir(), mode: 'web', version: packageVersion(), backgroundThumbnails: true })
      let team: TeamServing | null = null
      try {
        if (teamUrl !== undefined) team = await serveTeamStore(service, teamUrl, (line) => io.err(`${line}\n`))
        else if (project !== undefined) await service.request('project:open', { file: resolve(project) })
      } catch (err) {
        service.close()
        throw err
      }

      let server: Awaited<ReturnType<typeof startServer>>
      try {
        server = await startServer({
          service,
          port,
          uiDir: values.ui ? resolve(values.ui) : defaultUiDir(),
          host: plan.host,
          tls: plan.tls,
          publicName: plan.publicName,
          // A team server's users live in the shared store; the project file's own are not asked.
          ...(team ? { userOfToken: (token: string) => service.userOfTeamToken(token) } : {}),
        })
      } catch (err) {
        await team?.close()
        service.close()
        const reason = err instanceof Error ? err.message : String(err)
        throw new TagsmithError('BAD_INPUT', `cannot listen on ${plan.host}:${port}: ${reason}`)
      }
      if (plan.warning) io.err(`${plan.warning}\n`)
      const { url, token } = server
      const what = team ? `the team store ${team.location} ` : service.project ? `${service.project.file} ` : ''
      io.out(values.json ? `${JSON.stringify({ url, port: server.port, token })}\n` : `Tagsmith is serving ${what}at ${url}\n`)
      // Read the rows while the browser starts, so the page's first images:list finds them ready (an error
      // here is met again, and shown, when the page asks).
      if (service.project) setImmediate(() => void service.request('images:list', {}).catch(() => undefined))

      const signal = await stopped
      await server.close()
      await team?.close()
      service.close()
      if (!values.json) io.err(`tagsmith serve: stopped (${signal})\n`)
      return 0
    }
  },
}
