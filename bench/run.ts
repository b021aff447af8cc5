// `npm run bench`: runs every bench/*.ts module that exports `bench()`, in name order, and merges their
// figures into one object with the machine they were measured on. Prints a table to stderr, the JSON
// object to stdout, and writes it to bench/results/latest.json. Add an area by dropping a module here.
// `npm run bench -- images dataset` runs only those modules.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

/** `optIn`: a slow area that runs only when named (`npm run bench -- variants`). */
type BenchModule = { bench?: () => Promise<Record<string, unknown>>; optIn?: boolean }

const here = import.meta.dirname
// Arguments such as --seconds=10 are options of the modules named (bench/team-serve/options.ts).
const wanted = process.argv
  .slice(2)
  .filter((arg) => !arg.startsWith('--'))
  .map((name) => name.replace(/\.ts$/, ''))
const modules = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.d.ts'))
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.ts$/, '')))
  .sort()

function commit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: here, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return null
  }
}

const machine = {
  cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
  cores: os.availableParallelism(),
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  node: process.version,
  /** 1-minute load average when the run started: other work on the machine slows every figure. */
  loadAverage: Number((os.loadavg()[0] ?? 0).toFixed(2)),
  commit: commit(),
  date: new Date().toISOString(),
}

const figures: Record<string, unknown> = {}
const sections: Array<{ module: string; seconds: number; keys: string[]; error?: string }> = []
for (const file of modules) {
  const started = performance.now()
  try {
    const mod = (await import(pathToFileURL(join(here, file)).href)) as BenchModule
    if (typeof mod.bench !== 'function' || (mod.optIn === true && wanted.length === 0)) continue
    const result = await mod.bench()
    Object.assign(figures, result)
    sections.push({ module: file, seconds: (performance.now() - started) / 1000, keys: Object.keys(result) })
  } catch (err) {
    // One area failing (a browser missing, say) still leaves the others' figures.
    sections.push({ module: file, seconds: (performance.now() - started) / 1000, keys: [], error: err instanceof Error ? err.message : String(err) })
  }
}

const errors = Object.fromEntries(sections.filter((s) => s.error).map((s) => [s.module, s.error]))
const output = {
  ...figures,
  machine,
  benchSeconds: Object.fromEntries(sections.map((s) => [s.module, Number(s.seconds.toFixed(1))])),
  ...(Object.keys(errors).length > 0 ? { errors } : {}),
}

/** Nested figures as dotted names: { import: { seconds: 1 } } -> ["import.seconds", 1]. */
function flatten(value: unknown, prefix: string): Array<[string, string]> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k))
  }
  const text = typeof value === 'number' ? value.toLocaleString('en-US', { maximumFractionDigits: 3 }) : Array.isArray(value) ? JSON.stringify(value) : String(value)
  return [[prefix, text]]
}

const lines: string[] = []
const rows = sections.flatMap((s) => s.keys.flatMap((k) => flatten(figures[k], k)))
const width = Math.min(60, Math.max(20, ...rows.map(([name]) => name.length)))
lines.push(`Tagsmith bench: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.platform}, Node ${machine.node}, load ${machine.loadAverage}${machine.commit ? `, commit ${machine.commit}` : ''}`)
for (const s of sections) {
  lines.push('', `${s.module} (${s.seconds.toFixed(1)} s)${s.error ? `  FAILED: ${s.error}` : ''}`)
  for (const [name, text] of s.keys.flatMap((k) => flatten(figures[k], k))) lines.push(`  ${name.padEnd(width)}  ${text}`)
}
process.stderr.write(`${lines.join('\n')}\n\n`)

const json = `${JSON.stringify(output, null, 2)}\n`
const resultsDir = join(here, 'results')
mkdirSync(resultsDir, { recursive: true })
writeFileSync(join(resultsDir, 'latest.json'), json)
process.stdout.write(json)
process.stderr.write(`written to bench/results/latest.json\n`)
if (Object.keys(errors).length > 0) process.exitCode = 1
