// A command builds the input of the request it stands for and checks it with that request's schema
// (core/schemas.ts), so the CLI refuses exactly what the app refuses. A refusal names the option and the
// text given to it, rather than the request's field.
import type { z } from 'zod'
import type { RequestName, Requests } from '../../src-preload/contract.ts'
import { TagsmithError } from '../core/errors.ts'
import { describeIssues, requestSchemas } from '../core/schemas.ts'

/** The option an input field came from ('--lr') and the text given to it ('5'). */
export interface OptionSource {
  option: string
  text: string
}

/** Option sources by field path: 'learningRate', or 'thresholds.2' for one item of a list. */
export type FieldSources = Record<string, OptionSource | undefined>

/** A request's input before its check: the request's own field names, any values. */
export type Unchecked<T> = T extends unknown ? { [F in keyof T]?: unknown } : never

/** The options given, as sources of the fields they fill: { field: option name without the dashes }. */
export function givenOptions(values: Record<string, unknown>, fields: Record<string, string>): FieldSources {
  const sources: FieldSources = {}
  for (const [field, option] of Object.entries(fields)) {
    const text = values[option]
    if (typeof text === 'string') sources[field] = { option: `--${option}`, text }
  }
  return sources
}

/** A number option's value; text that is no number becomes NaN, which the schemas refuse. */
export function numberText(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  return text.trim() === '' ? Number.NaN : Number(text)
}

/** The request's input as its schema passes it, or BAD_INPUT naming the option behind the first refusal. */
export function requestInput<K extends RequestName>(
  name: K,
  input: Unchecked<Requests[K]['in']>,
  from: FieldSources,
): Requests[K]['in'] {
  // schemas.ts pins each schema to its request's input type; TypeScript cannot follow that through K.
  return checkedBy(requestSchemas[name] as z.ZodType<Requests[K]['in']>, input, from)
}

/** A --run option, checked as the requests that name a run check it (before the run is looked up). */
export function runIdOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  return checkedBy(requestSchemas['train:run'].shape.id, numberText(text), { '': { option: '--run', text } })
}

function checkedBy<T>(schema: z.ZodType<T>, input: unknown, from: FieldSources): T {
  const parsed = schema.safeParse(input)
  if (parsed.success) return parsed.data
  for (const issue of parsed.error.issues) {
    const source = sourceOf(issue.path, from)
    if (source) {
      const why = issue.message.charAt(0).toLowerCase() + issue.message.slice(1)
      throw new TagsmithError(
        'BAD_INPUT',
        `${source.option}: bad value ${JSON.stringify(source.text)}: ${why}`,
      )
    }
  }
  throw new TagsmithError('BAD_INPUT', describeIssues(parsed.error))
}

/** The source of a field or of the nearest list or object holding it ('groups.1.0' -> 'groups.1' -> 'groups'). */
function sourceOf(path: readonly PropertyKey[], from: FieldSources): OptionSource | undefined {
  for (let n = path.length; n >= 0; n--) {
    const source = from[path.slice(0, n).map(String).join('.')]
    if (source) return source
  }
  return undefined
}
