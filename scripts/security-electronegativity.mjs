#!/usr/bin/env node
// Runs @doyensec/electronegativity over the app's sources (the folders listed in .electronegativity.json,
// copied alone so tests and tools cannot satisfy or trip its checks) and fails on any finding that is not
// justified there. Offline: the tool's translation download is answered "unavailable" at once.
// usage: node scripts/security-electronegativity.mjs [--json] [--input <folder>]
//   --input scans that folder instead of the app (used by the test that shows a weak window is caught).
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire, Module } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const asJson = process.argv.includes('--json')
const inputAt = process.argv.indexOf('--input')
const input = inputAt > 0 ? resolve(process.argv[inputAt + 1] ?? '') : null
const config = JSON.parse(readFileSync(join(root, '.electronegativity.json'), 'utf8'))
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const electronVersion = String(pkg.devDependencies?.electron ?? pkg.dependencies?.electron ?? '').replace(/^[^\d]*/, '')

// The tool fetches fresh translations over HTTP and retries for seconds when offline. Hand it a `got`
// that fails at once; it then falls back to the translations it ships with.
const require = createRequire(import.meta.url)
const toolRoot = dirname(require.resolve('@doyensec/electronegativity/package.json'))
const toolRequire = createRequire(join(toolRoot, 'dist', 'runner.js'))
const gotPath = toolRequire.resolve('got')
const offline = new Module(gotPath)
offline.filename = gotPath
offline.loaded = true
offline.exports = () => Promise.reject(new Error('offline'))
require.cache[gotPath] = offline
const run = toolRequire('./runner.js')

const stage = mkdtempSync(join(tmpdir(), 'tagsmith-electronegativity-'))
let result
try {
  if (input) cpSync(input, stage, { recursive: true })
  else for (const folder of config.scan) cpSync(join(root, folder), join(stage, folder), { recursive: true })
  const quiet = console.log
  console.log = () => {} // the tool prints progress notes meant for its own CLI
  try {
    result = await run({
      input: stage,
      isRelative: true,
      customScan: [],
      excludeFromScan: config.skipChecks.map((c) => c.check.toLowerCase()),
      electronVersionOverride: electronVersion,
      parserPlugins: [],
    })
  } finally {
    console.log = quiet
  }
} finally {
  rmSync(stage, { recursive: true, force: true })
}

const justification = (issue) => config.justified.find((j) => j.check === issue.id && j.file === issue.file)
const findings = result.issues.map((issue) => ({
  check: issue.id,
  file: issue.file,
  line: issue.location?.line ?? 0,
  severity: issue.severity?.name ?? '?',
  confidence: issue.confidence?.name ?? '?',
  description: issue.description,
  sample: issue.sample ?? '',
  justified: justification(issue)?.why ?? null,
}))
const unjustified = findings.filter((f) => f.justified === null)
const unused = input ? [] : config.justified.filter((j) => !findings.some((f) => f.check === j.check && f.file === j.file))
const errors = result.errors.map((e) => `${e.file ?? '?'}: ${e.message ?? e.error ?? String(e)}`)
const summary = {
  electronVersion,
  checks: result.globalChecks + result.atomicChecks,
  skippedChecks: config.skipChecks.map((c) => c.check),
  findings: findings.length,
  justified: findings.length - unjustified.length,
  unjustified: unjustified.length,
  unusedJustifications: unused.length,
  parseErrors: errors.length,
}

if (asJson) {
  console.log(JSON.stringify({ ...summary, details: findings, unused, errors }, null, 2))
} else {
  console.log(`electronegativity (Electron ${electronVersion}, ${summary.checks} checks; skipped: ${summary.skippedChecks.join(', ') || 'none'})`)
  for (const f of findings) {
    console.log(`  ${f.justified ? 'justified  ' : 'UNJUSTIFIED'} ${f.check} ${f.severity}/${f.confidence} ${f.file}:${f.line}  ${f.description}`)
  }
  for (const j of unused) console.log(`  unused justification: ${j.check} in ${j.file} (nothing found there any more; remove it)`)
  for (const e of errors) console.log(`  could not parse ${e}`)
  console.log(`${summary.findings} findings, ${summary.justified} justified, ${summary.unjustified} unjustified, ${summary.parseErrors} files not parsed`)
}
process.exit(unjustified.length > 0 || errors.length > 0 || unused.length > 0 ? 1 : 0)
