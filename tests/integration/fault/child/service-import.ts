// Child process of the import crash test: imports a CSV through the service, printing "ready" first,
// then "progress <done> <total>" for each progress event and "done <rows>" at the end. The parent
// SIGKILLs it at a random moment.
// usage: service-import.ts <csv> <project file> <config folder>
import { writeSync } from 'node:fs'
import { printLine } from '../support/print-line.ts'
import type { ImportReport } from '../../../../src-preload/contract.ts'
import { Service } from '../../../../src-main/core/service/index.ts'

const [csv, projectFile, configDir] = process.argv.slice(2)
if (!csv || !projectFile || !configDir) throw new Error('usage: service-import.ts <csv> <project> <config>')
const print = (line: string): void => printLine(line)

const service = new Service({ configDir, mode: 'web', version: 'crash-trial' })
service.events['job:progress'].on((p) => print(`progress ${p.done} ${p.total}`))
print('ready')
const reply = await service.handle('project:import', { csvs: [csv], projectFile })
if (!reply.ok) {
  writeSync(2, `import failed: ${reply.error.code} ${reply.error.message}\n`)
  process.exit(3)
}
print(`done ${(reply.result as { report: ImportReport }).report.rows}`)
service.close()
