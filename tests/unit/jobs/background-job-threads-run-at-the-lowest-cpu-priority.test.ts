// The thumbnail job lowers its own priority before it starts sharp: on Linux a nice value belongs to each
// thread, so the check is that every thread of the process, those sharp and libvips start afterwards
// included, ends up at 19.
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { expect, test } from 'vitest'

const root = resolve(import.meta.dirname, '..', '..', '..')
const fixture = resolve(process.env.TAGSMITH_FIXTURES ?? resolve(root, '..', 'shared', 'fixtures'), 'apparel-mini', 'clothes_dataset')

const script = `
import { readdirSync, readFileSync } from 'node:fs'
import sharp from 'sharp'
const { lowerOwnPriority } = await import(${JSON.stringify(pathToFileURL(resolve(root, 'src-main/core/jobs/background-priority.ts')).href)})
lowerOwnPriority()
const dir = process.argv[1]
const files = readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.jpg')).slice(0, 8)
await Promise.all(files.map((f) => sharp(dir + '/' + f).resize(64).webp().toBuffer()))
// field 19 of /proc/<pid>/task/<tid>/stat (after the command name in parentheses) is the nice value
const nice = readdirSync('/proc/self/task').map((tid) => {
  const stat = readFileSync('/proc/self/task/' + tid + '/stat', 'utf8')
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])
})
console.log(JSON.stringify(nice))
`

test.skipIf(process.platform !== 'linux')('every thread of a background job, sharp\'s included, runs at nice 19', () => {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
  const out = execFileSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', script, fixture], { cwd: root, encoding: 'utf8' })
  const nice = JSON.parse(out.trim().split('\n').at(-1) ?? '[]') as number[]
  // The main thread, libuv's pool and libvips' workers: more than the main thread alone.
  expect(nice.length).toBeGreaterThan(4)
  expect(nice.every((n) => n === 19)).toBe(true)
})
