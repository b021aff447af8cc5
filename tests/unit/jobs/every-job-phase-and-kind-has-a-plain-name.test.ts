import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { JOB_KINDS } from '../../../src-main/core/jobs/registry.ts'
import { JOB_PHASES, jobKindName, phaseName, phaseProgress } from '../../../src-shared/job-phases.ts'

const MAIN = path.resolve(import.meta.dirname, '../../../src-main')

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : []
  })
}

/** Every phase the Node side reports: a `phase: '…'` literal in a progress report or its type. */
function emittedPhases(): Map<string, string> {
  const found = new Map<string, string>()
  for (const file of sources(MAIN)) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/\bphase:\s*'([^']+)'/g)) found.set(m[1] as string, path.relative(MAIN, file))
  }
  return found
}

describe('job phases in plain words', () => {
  it('names every phase the jobs emit, in one place', () => {
    const phases = emittedPhases()
    // The scan finds the phases it must: training's, prediction's, export's.
    for (const known of ['extract', 'train', 'predict', 'write']) expect(phases.has(known)).toBe(true)
    const unnamed = [...phases].filter(([phase]) => JOB_PHASES[phase] === undefined).map(([phase, file]) => `${phase} (${file})`)
    expect(unnamed).toEqual([])
    for (const phase of phases.keys()) expect(phaseName(phase)).not.toBe(phase)
  })

  it('names every job kind, the child-process kinds and the in-process ones', () => {
    for (const kind of [...JOB_KINDS, 'import', 'health']) expect(jobKindName(kind), kind).not.toBe(kind)
  })

  it('says a phase with its counts and unit', () => {
    expect(phaseProgress({ phase: 'predict', done: 39, total: 200 })).toBe('Predicting 39 / 200 images')
    expect(phaseProgress({ phase: 'extract', done: 1200, total: 11000 })).toBe('Extracting features 1,200 / 11,000 images')
    expect(phaseProgress({ phase: 'starting', done: 0, total: 0 })).toBe('Starting…')
    // An unknown phase is shown as it is, never hidden.
    expect(phaseName('something new')).toBe('something new')
  })
})
