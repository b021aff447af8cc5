import Database from 'better-sqlite3'
import { spawn } from 'node:child_process'
import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { beforeAll, describe, expect, it } from 'vitest'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { repoRoot, tempDir, writeImages, writeText } from './helpers.ts'

const TRIALS = 5
const child = join(import.meta.dirname, 'child', 'edit-burst.ts')

/** Runs the edit burst and SIGKILLs it after `killAfter` acknowledged edits; returns the acks. */
function burstUntilKilled(file: string, killAfter: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, file], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const acks: string[] = []
    let stderr = ''
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    createInterface({ input: proc.stdout }).on('line', (line) => {
      if (!line.startsWith('ack ')) return
      acks.push(line)
      if (acks.length === killAfter) proc.kill('SIGKILL')
    })
    proc.on('error', reject)
    proc.on('close', (_code, signal) => {
      if (signal === 'SIGKILL') resolve(acks)
      else reject(new Error(`child ended without being killed: ${stderr}`))
    })
  })
}

describe('a label edit acknowledged as saved', () => {
  let pristine = ''

  beforeAll(async () => {
    const dir = tempDir()
    const paths = Array.from({ length: 50 }, (_, i) => `img${i}.jpg`)
    writeImages(dir, paths)
    const csv = writeText(dir, 'train.csv', `image,a,b,c\n${paths.map((p) => `${p},0,1,0\n`).join('')}`)
    const { project } = await Project.importCsvs({ csvs: [csv], projectFile: join(dir, 'pristine.tagsmith') })
    project.close()
    pristine = join(dir, 'pristine.tagsmith')
  })

  it(`survives SIGKILL mid-burst, with a consistent edit log (${TRIALS} trials)`, async () => {
    for (let trial = 0; trial < TRIALS; trial++) {
      const file = join(tempDir(), `trial${trial}.tagsmith`)
      copyFileSync(pristine, file)
      const acks = await burstUntilKilled(file, 15 + trial * 17)

      const raw = new Database(file)
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok')
      raw.close()

      const project = Project.open(file)
      try {
        const byId = new Map(project.images().map((i) => [i.id, i]))
        const labels = project.labels()
        // Every acknowledged edit is there (later edits of the same cell may follow it).
        const lastAcked = new Map<string, number>()
        for (const ack of acks) {
          const [, id, label, value] = ack.split(' ')
          lastAcked.set(`${id} ${label}`, Number(value))
        }
        const history = project.edits.history(10_000)
        // At most one edit can have committed without its ack reaching us.
        expect(history.length === acks.length || history.length === acks.length + 1).toBe(true)
        const unacked = history.length > acks.length ? history[0]?.changes[0] : undefined
        for (const [key, value] of lastAcked) {
          const [id, label] = key.split(' ')
          const cell = byId.get(Number(id))?.labels[labels.indexOf(label ?? '')]
          const overwritten = unacked && `${unacked.imageId} ${unacked.label}` === key
          expect(cell).toBe(overwritten ? unacked.new : value)
        }
        // The log replays onto the imported values to give exactly the current cells.
        const replay = new Map<string, 0 | 1 | null>()
        for (const group of [...history].reverse()) {
          for (const c of group.changes) {
            const key = `${c.imageId} ${c.label}`
            expect(c.old).toBe(replay.has(key) ? replay.get(key) : c.label === 'b' ? 1 : 0)
            replay.set(key, c.new)
          }
        }
        expect(project.changesSinceImport().cells).toBe([...replay].filter(([k, v]) => v !== (k.endsWith(' b') ? 1 : 0)).length)
      } finally {
        project.close()
      }
    }
  }, 120_000)
})
