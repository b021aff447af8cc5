// Entry of a worker thread started from the TypeScript sources (tsx, the tests). Node 20 does not pass a
// thread's loader hooks on to the workers it starts, so this registers tsx in the worker, then runs the
// module its argv names. A build starts the compiled worker itself and never loads this file.
import { register } from 'tsx/esm/api'

register()
await import(process.argv[2])
