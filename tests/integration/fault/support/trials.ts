// Settings and bookkeeping shared by the crash-safety tests: how many trials to run, a seeded random
// source (the seed is printed so a failing trial can be replayed), a small pool that runs trials side by
// side, and the counts each test reports.
import { appendFileSync } from 'node:fs'
import { makeRng } from '../../../../src-shared/rng.ts'

/** Trials of the edit-burst test; the other kinds run a share of it. CI: 20, scripts/crash-trials.mjs: 100. */
export function editTrials(): number {
  const fromEnv = Number(process.env.TAGSMITH_CRASH_TRIALS)
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 20
}

/** A share of the edit trials, at least `min`: imports, extractions and trainings cost more each. */
export function shareOfTrials(fraction: number, min: number): number {
  return Math.max(min, Math.round(editTrials() * fraction))
}

/** Children run side by side; each one is mostly waiting on fsync or on its own start-up. */
export function concurrency(): number {
  const fromEnv = Number(process.env.TAGSMITH_CRASH_CONCURRENCY)
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 2
}

export function baseSeed(): number {
  const fromEnv = Number(process.env.TAGSMITH_CRASH_SEED)
  return Number.isInteger(fromEnv) ? fromEnv : Date.now() % 1_000_000_007
}

/** The app's own seeded generator (mulberry32): the same sequence for the same seed on every platform. */
export const seeded = makeRng

export function randomInt(next: () => number, min: number, max: number): number {
  return min + Math.floor(next() * (max - min + 1))
}

/** Runs `work(i)` for i in [0, count) with at most `limit` at a time; results keep the index order. */
export async function pool<T>(count: number, limit: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count)
  let next = 0
  const worker = async (): Promise<void> => {
    for (let i = next++; i < count; i = next++) results[i] = await work(i)
  }
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker))
  return results
}

/**
 * Prints what a crash test checked, and appends it as one JSON line to TAGSMITH_CRASH_REPORT when
 * set (scripts/crash-trials.mjs collects the lines into its summary).
 */
export function reportCounts(kind: string, counts: Record<string, number | string>): void {
  const line = JSON.stringify({ kind, ...counts })
  console.log(`crash-safety ${line}`)
  const file = process.env.TAGSMITH_CRASH_REPORT
  if (file) appendFileSync(file, `${line}\n`)
}
