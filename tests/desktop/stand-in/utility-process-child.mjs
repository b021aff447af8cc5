// Runs first in the stand-in's child, then loads the module it was given (argv[2], its args after it).
// The module sees what Electron's utility process shows it: process.parentPort, whose 'message' events
// carry { data, ports } and queue until a listener comes, and no IPC of Node's own (no process.send,
// no 'message' or 'disconnect' events on process).
import { EventEmitter } from 'node:events'
import { setImmediate } from 'node:timers'
import { pathToFileURL } from 'node:url'

const [execPath, , modulePath, ...args] = process.argv
const sendToParent = process.send.bind(process)
const queued = []

const parentPort = new EventEmitter()
parentPort.postMessage = (message) => {
  sendToParent(structuredClone(message)) // throws here, as Electron's does, on what cannot be cloned
}
const deliver = (data) => {
  if (parentPort.listenerCount('message') > 0) parentPort.emit('message', { data, ports: [] })
  else queued.push(data)
}
parentPort.on('newListener', (event) => {
  if (event === 'message') setImmediate(() => queued.splice(0).forEach(deliver))
})

const emit = process.emit
process.emit = function (event, ...rest) {
  if (event === 'message') return (deliver(rest[0]), true)
  // Electron ends utility processes with the app.
  if (event === 'disconnect') process.exit(0)
  return emit.call(this, event, ...rest)
}
// A utility process does not end when its event loop is empty; a listened-to IPC channel keeps this one.
process.on('message', () => {})

delete process.send
delete process.disconnect
process.parentPort = parentPort
process.type = 'utility'
process.argv = [execPath, modulePath, ...args]

await import(pathToFileURL(modulePath).href)
