import { parseArgs, type ParseArgsConfig } from 'node:util'
import { TagsmithError } from '../core/errors.ts'

export interface CliIO {
  out(text: string): void
  err(text: string): void
  /** True when stderr is a terminal, so progress lines are welcome. */
  interactive: boolean
}

/** One `tagsmith <name>` command; each lives in its own file under commands/. */
export interface CliCommand {
  /** Usage and option text shown by `tagsmith <name> --help`. */
  help: string
  /** Returns the exit code. Throw TagsmithError for bad input (exit 2). */
  run(args: string[], io: CliIO): Promise<number>
}

type Options = NonNullable<ParseArgsConfig['options']>

type Parsed<T extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>>

/** node:util parseArgs, with its errors turned into BAD_INPUT. */
export function parseCommandArgs<T extends Options>(args: string[], options: T): Parsed<T> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true })
  } catch (err) {
    throw new TagsmithError('BAD_INPUT', err instanceof Error ? err.message : String(err))
  }
}

export function wantsHelp(args: string[]): boolean {
  return args.includes('--help') || args.includes('-h')
}

export const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`
