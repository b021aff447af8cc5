// Child process of the training crash test: the app's process during a training run started through
// the service. Prints "ready", "epoch <n>" for each train:epoch event and "stored <run id>" on
// train:done. The parent SIGKILLs it at a random moment; its job processes must then end on their own.
// usage: service-train.ts <project file> <config folder> <backbone folder> <epochs>
import { writeSync } from 'node:fs'
import { printLine } from '../support/print-line.ts'
import { Service } from '../../../../src-main/core/service/index.ts'

const [file, configDir, backbone, epochs] = process.argv.slice(2)
if (!file || !configDir || !backbone || !epochs) throw new Error('usage: service-train.ts <project> <config> <backbone> <epochs>')
const print = (line: string): void => printLine(line)

const service = new Service({ configDir, mode: 'web', version: 'crash-trial' })
service.events['train:epoch'].on((e) => print(`epoch ${e.epoch}`))
service.events['train:done'].on((d) => print(`stored ${d.runId}`))
service.events['job:ended'].on((e) => {
  if (e.status !== 'done') {
    writeSync(2, `training ended ${e.status}: ${e.error?.message ?? ''}\n`)
    process.exit(3)
  }
  service.close()
})
await service.request('project:open', { file })
print('ready')
await service.request('train:start', { backbone, epochs: Number(epochs), seed: 7 })
