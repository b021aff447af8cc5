// Child process of the edit crash test: opens a project through the service and sends it label edits,
// undos and redos forever, as the UI would. Before each request it prints "send <request>"; after the
// service answered (the edit is committed) it prints "ack <result>". The parent SIGKILLs it at random.
// usage: service-edit-burst.ts <project file> <config folder> <seed>
import { writeSync } from 'node:fs'
import type { EditResult, ImageRow, LabelChange, ProjectInfo } from '../../../../src-preload/contract.ts'
import { Service } from '../../../../src-main/core/service/index.ts'
import { printLine } from '../support/print-line.ts'
import { randomInt, seeded } from '../support/trials.ts'

const [file, configDir, seedText] = process.argv.slice(2)
if (!file || !configDir || !seedText) throw new Error('usage: service-edit-burst.ts <project> <config> <seed>')
const next = seeded(Number(seedText))
const service = new Service({ configDir, mode: 'web', version: 'crash-trial' })

const print = (line: string): void => printLine(line)

async function call(name: 'project:open' | 'images:list' | 'labels:set' | 'labels:undo' | 'labels:redo', input: unknown): Promise<unknown> {
  const reply = await service.handle(name, input)
  if (!reply.ok) {
    writeSync(2, `${name} failed: ${reply.error.code} ${reply.error.message}\n`)
    process.exit(3)
  }
  return reply.result
}

const info = (await call('project:open', { file })) as ProjectInfo
const rows = (await call('images:list', {})) as ImageRow[]
print('ready')
for (;;) {
  const roll = next()
  let name: 'labels:set' | 'labels:undo' | 'labels:redo'
  let input: { changes: LabelChange[] } | Record<string, never>
  if (roll < 0.1) {
    name = 'labels:undo'
    input = {}
  } else if (roll < 0.17) {
    name = 'labels:redo'
    input = {}
  } else {
    // Mostly single cells, sometimes a bulk edit of up to 40 cells (the bulk bar).
    const size = next() < 0.8 ? randomInt(next, 1, 3) : randomInt(next, 4, 40)
    const changes = Array.from({ length: size }, (): LabelChange => {
      const row = rows[randomInt(next, 0, rows.length - 1)]
      const label = info.labels[randomInt(next, 0, info.labels.length - 1)]
      return { imageId: row?.id ?? 1, label: label ?? '', value: next() < 0.5 ? 0 : 1 }
    })
    name = 'labels:set'
    input = { changes }
  }
  print(`send ${JSON.stringify({ name, input })}`)
  const result = (await call(name, input)) as EditResult | null
  print(`ack ${JSON.stringify({ name, group: result?.group ?? null, changes: result?.changes ?? [] })}`)
}
