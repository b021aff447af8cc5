// A throwaway PostgreSQL cluster for the test run: initdb in a temp folder, started on a free loopback port
// with its socket in that folder, trust on 127.0.0.1 only (plus one password role, so wrong-password
// messages can be tested). As root it is owned by and run as `postgres`, as PostgreSQL refuses root.
import { execFile, execFileSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'

export interface Cluster {
  /** postgresql://postgres@127.0.0.1:PORT — add a database name. */
  baseUrl: string
  /** A role that must give this password: `postgresql://PASSWORD_ROLE:PASSWORD_SECRET@…`. */
  passwordRole: string
  passwordSecret: string
  startSeconds: number
  /**
   * Stops the server as `pg_ctl restart` does (fast: clients are cut off, committed work kept) and starts it
   * again on the same port after `downMs`; resolves once it takes connections again.
   */
  restart(downMs?: number): Promise<void>
  stop(): Promise<void>
}

export const PASSWORD_ROLE = 'tagsmith_pw'
export const PASSWORD_SECRET = 'not-the-password-1a2b'

/** initdb and pg_ctl: on PATH, else the newest /usr/lib/postgresql/<version>/bin. */
export function findPgBin(): string | null {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir
  }
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return null
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))
  return versions[0] === undefined ? null : join(root, versions[0], 'bin')
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** runuser: on PATH, or in sbin, which a root shell's PATH may lack. */
function runuser(): string {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin']) {
    if (dir && existsSync(join(dir, 'runuser'))) return join(dir, 'runuser')
  }
  return 'runuser'
}

/** Runs a PostgreSQL binary, as `postgres` when we are root. */
function runPg(bin: string, args: string[], asPostgres: boolean): Promise<string> {
  const [file, argv] = asPostgres ? [runuser(), ['-u', 'postgres', '--', bin, ...args]] : [bin, args]
  return new Promise((resolve, reject) => {
    execFile(file, argv, { encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${bin.split('/').at(-1)} failed: ${(stderr || stdout || err.message).trim()}`))
      else resolve(stdout)
    })
  })
}

/** Starts a cluster in a new folder under `parent` (the system temp folder by default). */
export async function startCluster(parent = tmpdir()): Promise<Cluster> {
  const started = performance.now()
  const binDir = findPgBin()
  if (binDir === null) {
    throw new Error('PostgreSQL not found (no initdb/pg_ctl on PATH or under /usr/lib/postgresql); install it or set TAGSMITH_TEST_PG=off')
  }
  const asPostgres = process.getuid?.() === 0
  const dir = mkdtempSync(join(parent, 'tagsmith-pg-'))
  const data = join(dir, 'data')
  if (asPostgres) {
    const ids = execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()
    const gid = execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()
    chownSync(dir, Number(ids), Number(gid))
  }
  chmodSync(dir, 0o700)
  const remove = (): void => rmSync(dir, { recursive: true, force: true })
  try {
    await runPg(join(binDir, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'], asPostgres)
    // Trust on loopback TCP only, except the one role that must give its password.
    writeFileSync(
      join(data, 'pg_hba.conf'),
      `host all ${PASSWORD_ROLE} 127.0.0.1/32 scram-sha-256\nhost all all 127.0.0.1/32 trust\n`,
    )
    const port = await freePort()
    const options = [
      `-p ${port}`,
      `-k ${dir}`,
      '-c listen_addresses=127.0.0.1',
      // A test cluster holds nothing worth a flush: much faster commits on a busy 2-core machine.
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
    ].join(' ')
    const start = (): Promise<string> => runPg(join(binDir, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-o', options, '-w', '-t', '30', 'start'], asPostgres)
    await start()
    const baseUrl = `postgresql://postgres@127.0.0.1:${port}`
    const client = new pg.Client({ connectionString: `${baseUrl}/postgres` })
    await client.connect()
    try {
      await client.query(`CREATE ROLE ${PASSWORD_ROLE} LOGIN CREATEDB PASSWORD '${PASSWORD_SECRET}'`)
    } finally {
      await client.end()
    }
    return {
      baseUrl,
      passwordRole: PASSWORD_ROLE,
      passwordSecret: PASSWORD_SECRET,
      startSeconds: (performance.now() - started) / 1000,
      async restart(downMs = 0) {
        await runPg(join(binDir, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop'], asPostgres)
        await new Promise((done) => setTimeout(done, downMs))
        await start()
      },
      async stop() {
        try {
          await runPg(join(binDir, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], asPostgres)
        } finally {
          remove()
        }
      },
    }
  } catch (err) {
    try {
      await runPg(join(binDir, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop'], asPostgres)
    } catch {
      // Not started: nothing to stop.
    }
    remove()
    throw err
  }
}

let counter = 0

/** The cluster's base URL, as the global setup gave it; tests that need PostgreSQL fail without it. */
export function testPgBaseUrl(): string {
  const url = process.env.TAGSMITH_TEST_PG_URL
  if (!url) throw new Error('TAGSMITH_TEST_PG_URL is not set: the PostgreSQL test cluster did not start')
  return url
}

/** Whether this run has a cluster (TAGSMITH_TEST_PG=off turns the PostgreSQL tests off). */
export const pgEnabled = (): boolean => process.env.TAGSMITH_TEST_PG !== 'off'

/** A new, empty, uniquely named database on the test cluster; returns its URL. */
export async function freshDatabase(): Promise<string> {
  const base = testPgBaseUrl()
  const name = `t_${process.pid}_${Date.now().toString(36)}_${++counter}`
  const client = new pg.Client({ connectionString: `${base}/postgres` })
  await client.connect()
  try {
    await client.query(`CREATE DATABASE ${name}`)
  } finally {
    await client.end()
  }
  return `${base}/${name}`
}
