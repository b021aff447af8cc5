import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from './support/source.ts'

interface Report {
  electronVersion: string
  checks: number
  findings: number
  unjustified: number
  unusedJustifications: number
  parseErrors: number
  details: Array<{ check: string; file: string; justified: string | null }>
}

function scan(...args: string[]): { status: number | null; report: Report } {
  const run = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'security-electronegativity.mjs'), '--json', ...args], { cwd: repoRoot, encoding: 'utf8' })
  if (!run.stdout.trim()) throw new Error(`the scan printed nothing: ${run.stderr}`)
  return { status: run.status, report: JSON.parse(run.stdout) as Report }
}

describe('electronegativity (npm run security:electronegativity)', () => {
  it('finds nothing in the app that .electronegativity.json does not justify', () => {
    const { status, report } = scan()
    console.log(`electronegativity: ${report.checks} checks, ${report.findings} findings, ${report.unjustified} unjustified`)
    expect(report.details.filter((d) => d.justified === null)).toEqual([])
    expect({ unused: report.unusedJustifications, parseErrors: report.parseErrors }).toEqual({ unused: 0, parseErrors: 0 })
    expect(report.checks).toBeGreaterThan(30)
    expect(status).toBe(0)
  }, 60_000)

  it('does find a window with Node, no isolation and no sandbox (the scan really runs)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tagsmith-weak-window-'))
    try {
      writeFileSync(
        join(dir, 'main.js'),
        "const { BrowserWindow } = require('electron')\nnew BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false } })\n",
      )
      const { status, report } = scan('--input', dir)
      expect(status).toBe(1)
      expect(report.details.map((d) => d.check)).toEqual(
        expect.arrayContaining(['NODE_INTEGRATION_JS_CHECK', 'CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK']),
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})
