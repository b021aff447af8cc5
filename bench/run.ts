// `npm run bench`: runs every bench/*.ts module that exports `bench()` and prints one JSON object
// merging their figures. Add an area by dropping a module here; no list to edit.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

type BenchModule = { bench?: () => Promise<Record<string, unknown>> }

const here = import.meta.dirname
const modules = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.d.ts'))
  .sort()

const figures: Record<string, unknown> = {}
for (const file of modules) {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as BenchModule
  if (typeof mod.bench !== 'function') continue
  Object.assign(figures, await mod.bench())
}
process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`)
