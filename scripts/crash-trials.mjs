#!/usr/bin/env node
// Runs the crash-safety tests (tests/integration/fault) with more trials than CI does, then prints what
// they checked. usage: node scripts/crash-trials.mjs [trials=100]
// Environment: TAGSMITH_CRASH_SEED replays a run; TAGSMITH_CRASH_CONCURRENCY sets children run at once.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const trials = Number(process.argv[2] ?? 100)
if (!Number.isInteger(trials) || trials < 1) {
  console.error('usage: node scripts/crash-trials.mjs [trials]   (a positive whole number, default 100)')
  process.exit(2)
}

const dir = mkdtempSync(join(tmpdir(), 'tagsmith-crash-trials-'))
const report = join(dir, 'counts.jsonl')
const started = Date.now()
const vitest = spawnSync(
  process.execPath,
  [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', 'tests/vitest.config.ts', 'tests/integration/fault'],
  { cwd: root, stdio: 'inherit', env: { ...process.env, TAGSMITH_CRASH_TRIALS: String(trials), TAGSMITH_CRASH_REPORT: report } },
)

let lines = []
try {
  lines = readFileSync(report, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line))
} catch {
  // no test got as far as reporting
}
rmSync(dir, { recursive: true, force: true })

console.log(`\nCrash-safety trials (${trials} requested, ${((Date.now() - started) / 1000).toFixed(0)} s):`)
for (const { kind, ...counts } of lines) {
  console.log(`  ${kind.padEnd(11)} ${Object.entries(counts).map(([k, v]) => `${k}=${v}`).join('  ')}`)
}
if (vitest.status !== 0) console.log('  FAILED: see the test output above')
process.exit(vitest.status ?? 1)
