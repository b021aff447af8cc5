import { spawn } from 'node:child_process'
import { createWriteStream, mkdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { once } from 'node:events'
import { afterAll, expect, it } from 'vitest'
import { removeTemps, repoRoot, tempDir } from './support/service.ts'
import { tree } from './support/snapshot.ts'

const SIZE = 200 * 1024 * 1024
/** Far more than refusing the file needs; far less than reading 200 MB of CSV into objects takes. */
const HEAP_MB = 256
/** Refusing by size takes a process start and one stat; past this the child is taken to be reading it all. */
const BUDGET_MS = 15_000
const child = join(import.meta.dirname, 'child', 'import-through-service.ts')

afterAll(removeTemps)

/** Streams a CSV of `size` bytes: 1 MB blocks of rows, so the test itself never holds the file. */
async function writeLargeCsv(file: string, size: number): Promise<void> {
  const out = createWriteStream(file)
  out.write('image,black,blue,brown,green,red,white\n')
  const rows: string[] = []
  for (let i = 0, length = 0; length < 1024 * 1024; i++) {
    rows.push(`images/${String(i).padStart(8, '0')}.jpg,0,1,0,0,1,0\n`)
    length += rows[i]?.length ?? 0
  }
  const block = rows.join('')
  for (let written = 0; written < size; written += block.length) {
    if (!out.write(block)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
}

/** Runs the import in a child with a small heap; SIGKILLs it when it overruns the time budget. */
function importInChild(configDir: string, csv: string): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', child, configDir, csv], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    proc.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)))
    const budget = setTimeout(() => proc.kill('SIGKILL'), BUDGET_MS)
    proc.on('error', reject)
    proc.on('close', (code, signal) => {
      clearTimeout(budget)
      resolve({ code, signal, stdout, stderr })
    })
  })
}

it('a 200 MB CSV is refused with a message naming the file and its size, in bounded memory, writing nothing', async () => {
  const dir = tempDir()
  const csv = join(dir, 'train.csv')
  await writeLargeCsv(csv, SIZE)
  expect(statSync(csv).size).toBeGreaterThanOrEqual(SIZE)
  const configDir = join(dir, 'config')
  mkdirSync(configDir)
  const before = tree(dir, (name) => name.startsWith('config'))

  const end = await importInChild(configDir, csv)

  // Whatever happens, nothing is written beside the CSV and the CSV is untouched.
  expect(tree(dir, (name) => name.startsWith('config'))).toEqual(before)
  // Refused by size before reading: the small heap is enough and the budget is kept.
  expect(end.code, end.stderr).toBe(0)
  const reply = JSON.parse(end.stdout.trim().split('\n').at(-1) ?? '{}') as unknown
  expect(reply).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', message: expect.stringMatching(/train\.csv.*\b(200|209|210) ?MB\b/) } })
}, 120_000)
