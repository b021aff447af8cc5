// Trying images (the Try panel's model:try) on a run of the Default preset (MobileNetV2 taps + colour
// statistics, a hidden layer) trained by the CLI on 30 train + 10 val apparel images: the first request
// (cold: the resident child starts and loads the backbone) and then 20 requests of one image each (warm),
// per step (decode, features, head) and round trip through the service.
// Opt-in: npm run bench -- try (or npx tsx bench/try.ts)
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { TriedImage } from '../src-preload/contract.ts'
import { Service } from '../src-main/core/service/index.ts'

export const optIn = true

const WARM = 20
const repoRoot = path.resolve(import.meta.dirname, '..')
const apparel = path.join(process.env.TAGSMITH_FIXTURES ?? path.resolve(repoRoot, '..', 'shared', 'fixtures'), 'apparel-mini')
const round = (x: number): number => Math.round(x * 10) / 10

function spread(ms: number[]): { p50: number; max: number } {
  const s = [...ms].sort((a, b) => a - b)
  return { p50: round(s[Math.floor(s.length / 2)] ?? NaN), max: round(s[s.length - 1] ?? NaN) }
}

/** The first `rows` rows of a fixture CSV and their images, copied into `dir`; the CSV's image paths. */
function copyRows(dir: string, csv: string, from: number, rows: number): string[] {
  const lines = fs.readFileSync(path.join(apparel, csv), 'utf8').split(/\r?\n/).filter((l) => l.length > 0)
  const kept = lines.slice(1 + from, 1 + from + rows)
  fs.writeFileSync(path.join(dir, csv), `${[lines[0], ...kept].join('\n')}\n`)
  const rels = kept.map((l) => l.split(',')[1] ?? '')
  for (const rel of rels) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true })
    fs.copyFileSync(path.join(apparel, rel), path.join(dir, rel))
  }
  return rels
}

export async function bench(): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tagsmith-bench-try-'))
  const cli = (...args: string[]): string => execFileSync(process.execPath, [path.join(repoRoot, 'bin', 'tagsmith.mjs'), ...args], { encoding: 'utf8' })
  const service = new Service({ configDir: path.join(dir, 'config'), mode: 'web', version: 'bench' })
  try {
    copyRows(dir, 'train.csv', 0, 30)
    copyRows(dir, 'val.csv', 0, 10)
    const project = path.join(dir, 'p.tagsmith')
    cli('import', path.join(dir, 'train.csv'), path.join(dir, 'val.csv'), '--project', project, '--json')
    cli('train', project, '--epochs', '4', '--json')
    // Images the project does not hold: later val rows, read where they lie.
    const lines = fs.readFileSync(path.join(apparel, 'val.csv'), 'utf8').split(/\r?\n/).filter((l) => l.length > 0)
    const outside = lines.slice(-(WARM + 1)).map((l) => path.join(apparel, l.split(',')[1] ?? ''))
    await service.request('project:open', { file: project })
    type Timed = { ms: number; cold: boolean; loadMs: number; engine: string; image: TriedImage }
    const once = async (file: string): Promise<Timed> => {
      const started = performance.now()
      const answer = await service.request('model:try', { files: [{ name: path.basename(file), bytesBase64: fs.readFileSync(file).toString('base64') }] })
      const ms = performance.now() - started
      const image = answer.results[0]
      if (!image || 'error' in image) throw new Error(`${file}: ${image ? image.error.message : 'no answer'}`)
      return { ms, cold: answer.cold, loadMs: answer.loadMs, engine: answer.engine, image }
    }
    const cold = await once(outside[0] as string)
    const warm: Timed[] = []
    for (const file of outside.slice(1)) warm.push(await once(file))
    if (!cold.cold || warm.some((w) => w.cold)) throw new Error('expected one cold request, then warm ones')
    const steps = (pick: (t: TriedImage['timings']) => number): { p50: number; max: number } => spread(warm.map((w) => pick(w.image.timings)))
    return {
      try: {
        engine: cold.engine,
        cold: {
          requestMs: round(cold.ms),
          loadMs: round(cold.loadMs),
          decodeMs: round(cold.image.timings.decode),
          featuresMs: round(cold.image.timings.features),
          headMs: round(cold.image.timings.head),
        },
        warm: {
          images: warm.length,
          requestMs: spread(warm.map((w) => w.ms)),
          decodeMs: steps((t) => t.decode),
          featuresMs: steps((t) => t.features),
          headMs: steps((t) => t.head),
          totalMs: steps((t) => t.decode + t.features + t.head),
        },
      },
    }
  } finally {
    service.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.log(JSON.stringify(await bench(), null, 2))
