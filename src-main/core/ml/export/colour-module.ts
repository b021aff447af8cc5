import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { TagsmithError } from '../../errors.ts'
import { computeColourStatistics } from '../parts/colour-statistics.ts'
import type { ColourFunction } from './model-inputs.ts'

// colour-statistics.mjs: the app's own colour statistics as an ES module beside an exported model, so
// predict.mjs (or any JavaScript) computes the colour input exactly as training did. The text is the
// running function's own (one implementation); the export's self-check computes the colour input with
// the written file, so a file that does not reproduce the app fails the check.

export const COLOUR_MODULE_FILE = 'colour-statistics.mjs'

const HEADER = `// Colour statistics of a decoded image, as Tagsmith computes them for the colour input of this model.
// computeColourStatistics(rgb, size, design): rgb is the size x size x 3 RGB bytes (row-major HWC) of the
// image input named by the colour input's "from" in tagsmith.json, decoded but not normalised; design is
// that input's design.parameters. Returns a Float32Array of the colour input's length.
`

// A loader that keeps function names (tsx, when the app runs from its sources) wraps inner functions in
// a helper of its own; naming them changes nothing the function computes.
const NAME_HELPER = 'const __name = (fn) => fn\n'

/** The module's source: the function the app runs, exported under its own name. */
export function colourModuleSource(): string {
  const text = computeColourStatistics.toString()
  const head = /^function\s*[\w$]*\s*\(/.exec(text)
  if (!head || text.includes('[native code]')) throw new TagsmithError('INTERNAL', 'the colour statistics function has no source text to export')
  const body = `function computeColourStatistics(${text.slice(head[0].length)}`
  return `${HEADER}${body.includes('__name(') ? NAME_HELPER : ''}\nexport ${body}\n`
}

/** The colour function of a folder's colour-statistics.mjs. */
export async function importColourModule(dir: string): Promise<ColourFunction> {
  const file = path.join(dir, COLOUR_MODULE_FILE)
  let loaded: { computeColourStatistics?: unknown }
  try {
    loaded = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as { computeColourStatistics?: unknown }
  } catch (err) {
    throw new TagsmithError('BAD_INPUT', `cannot load ${file}: ${err instanceof Error ? err.message : String(err)}`)
  }
  const fn = loaded.computeColourStatistics
  if (typeof fn !== 'function') throw new TagsmithError('BAD_INPUT', `${file} exports no computeColourStatistics`)
  return fn as ColourFunction
}
