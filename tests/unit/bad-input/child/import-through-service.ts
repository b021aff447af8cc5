// Imports CSVs through the service in a process of its own (the test limits its heap) and prints the
// reply as one JSON line, its message cut to 500 characters.
// usage: import-through-service.ts <config folder> <csv>...
import { writeSync } from 'node:fs'
import { Service } from '../../../../src-main/core/service/index.ts'

const [configDir, ...csvs] = process.argv.slice(2)
if (!configDir || csvs.length === 0) throw new Error('usage: import-through-service.ts <config> <csv>...')
const service = new Service({ configDir, mode: 'web', version: '0.0.0-bad-input' })
const reply = await service.handle('project:import', { csvs })
const line = reply.ok
  ? { ok: true, rows: (reply.result as { report: { rows: number } }).report.rows }
  : { ok: false, error: { code: reply.error.code, message: reply.error.message.slice(0, 500) } }
writeSync(1, `${JSON.stringify(line)}\n`)
service.close()
