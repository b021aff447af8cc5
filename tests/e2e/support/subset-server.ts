import { execFile, spawn } from 'node:child_process'
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'
import { repoRoot, type FixtureServer } from './fixture-server.ts'

const fixturesRoot = process.env.TAGSMITH_FIXTURES ?? path.resolve(repoRoot, '..', 'shared', 'fixtures')
const cli = path.join(repoRoot, 'bin', 'tagsmith.mjs')

/**
 * Like serveApparelMini, on the first `train` and `val` rows of apparel-mini only (and just their
 * images): enough for a training run that a browser test can watch from start to end.
 */
export async function serveApparelSubset(rows: { train: number; val: number }): Promise<FixtureServer> {
  const source = path.join(fixturesRoot, 'apparel-mini')
  const dir = await mkdtemp(path.join(tmpdir(), 'tagsmith-e2e-train-'))
  const csvs: string[] = []
  for (const [name, count] of [['train.csv', rows.train], ['val.csv', rows.val]] as const) {
    const lines = (await readFile(path.join(source, name), 'utf8')).split(/\r?\n/).filter((l) => l.length > 0).slice(0, count + 1)
    const pathCol = (lines[0] ?? '').split(',').indexOf('image')
    for (const line of lines.slice(1)) {
      const rel = line.split(',')[pathCol] ?? ''
      await mkdir(path.dirname(path.join(dir, rel)), { recursive: true })
      await copyFile(path.join(source, rel), path.join(dir, rel))
    }
    await writeFile(path.join(dir, name), `${lines.join('\n')}\n`)
    csvs.push(path.join(dir, name))
  }
  const env = { ...process.env, TAGSMITH_CONFIG_DIR: path.join(dir, 'config') }
  const { stdout } = await promisify(execFile)(process.execPath, [cli, 'import', ...csvs, '--json'], { env, cwd: dir })
  const { project } = JSON.parse(stdout) as { project: string }

  const child = spawn(process.execPath, [cli, 'serve', project, '--port', '0', '--json'], { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout })
    lines.once('line', (line) => {
      lines.close()
      resolve((JSON.parse(line) as { url: string }).url)
    })
    child.once('exit', (code) => reject(new Error(`tagsmith serve exited with ${code}: ${stderr}`)))
  })
  return {
    dir,
    project,
    url,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done))
        child.kill('SIGTERM')
        await exited
      }
      await rm(dir, { recursive: true, force: true })
    },
  }
}
