// Child process of the training crash test: the app's process during a training run. Prints "ready",
// "epoch <n>" for each epoch the training job reports and "stored <run id>" once the run is saved. The
// parent SIGKILLs it at a random moment; its job processes must then go away on their own.
// usage: train-project.ts <project file> <backbone folder> <layers,comma,separated> <epochs>
import { writeSync } from 'node:fs'
import { Project } from '../../../../src-main/core/dataset/project.ts'
import { trainProject } from '../../../../src-main/core/ml/pipeline.ts'

const [file, backbone, layers, epochs] = process.argv.slice(2)
if (!file || !backbone || !layers || !epochs) throw new Error('usage: train-project.ts <project> <backbone> <layers> <epochs>')
const print = (line: string): void => void writeSync(1, `${line}\n`)

const project = Project.open(file)
print('ready')
const outcome = await trainProject(project, {
  backbone,
  layers: layers.split(','),
  config: { epochs: Number(epochs), seed: 7 },
  onEpoch: (e) => print(`epoch ${e.epoch}`),
})
print(`stored ${outcome.runId}`)
project.close()
