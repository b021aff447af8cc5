// `Tagsmith path/to/dataset.tagsmith` (a file manager's "Open with", or a terminal) opens that project.
// No Electron import here, so tests can run it.
import path from 'node:path'

/**
 * The project file named on a command line, resolved against `cwd`: the last argument ending in
 * `.tagsmith` that is not a switch. argv[0] is the executable; Chromium's own switches are skipped.
 */
export function projectFromArgv(argv: readonly string[], cwd: string): string | null {
  for (const arg of argv.slice(1).reverse()) {
    if (!arg.startsWith('-') && arg.toLowerCase().endsWith('.tagsmith')) return path.resolve(cwd, arg)
  }
  return null
}
