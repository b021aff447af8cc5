// Child process for the crash test: flips one label cell per edit, forever, and prints
// "ack <image> <label> <value>" after each edit has committed. The parent kills it mid-burst.
import { writeSync } from 'node:fs'
import { Project } from '../../../../src-main/core/dataset/project.ts'

const file = process.argv[2]
if (!file) throw new Error('usage: edit-burst.ts <project>')
const project = Project.open(file)
const labels = project.labels()
const images = project.images()
writeSync(1, 'ready\n')
for (let k = 0; ; k++) {
  const image = images[k % images.length]
  const l = Math.floor(k / images.length) % labels.length
  if (!image) break
  const value = image.labels[l] === 1 ? 0 : 1
  image.labels[l] = value
  const label = labels[l] ?? ''
  project.edits.setLabels([{ imageId: image.id, label, value }])
  writeSync(1, `ack ${image.id} ${label} ${value}\n`)
}
