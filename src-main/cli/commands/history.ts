import type { HistoryEntry } from '../../core/store/project-store.ts'
import { TagsmithError } from '../../core/errors.ts'
import { openStore } from '../../core/store/open-store.ts'
import { json, parseCommandArgs, type CliCommand } from '../command.ts'
import { STORE_HELP, STORE_OPTIONS, storeLocation } from '../store-option.ts'

const MAX_LIMIT = 100_000

export const command: CliCommand = {
  help: `Usage: tagsmith history <project> [--user NAME] [--limit N] [--json]
       tagsmith history --store URL|FILE [--user NAME] [--limit N] [--json]

The steps of the edit log, newest first, applied and undone: when, who, what kind and how many cells.
Steps made before the store knew users show no author.

  --user NAME        only the steps NAME made
  --limit N          at most N steps (default 100)
${STORE_HELP}
  --json             print [{"group","at","author","kind","undone","changes":[{"imageId","label","old","new"}...]}...]
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      ...STORE_OPTIONS,
      user: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
    })
    const [file, ...rest] = positionals
    const location = storeLocation(file, values.store)
    if (location === undefined || rest.length > 0) throw new TagsmithError('BAD_INPUT', 'give exactly one project file or --store URL')
    const limit = values.limit === undefined ? undefined : Number(values.limit)
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT || values.limit?.trim() !== values.limit)) {
      throw new TagsmithError('BAD_INPUT', `--limit: bad value ${JSON.stringify(values.limit)}: give a whole number from 1 to ${MAX_LIMIT}`)
    }
    const store = await openStore(location)
    try {
      const entries = await store.history({ ...(values.user === undefined ? {} : { user: values.user }), ...(limit === undefined ? {} : { limit }) })
      if (values.json) io.out(json(entries))
      else io.out(entries.length === 0 ? 'No steps.\n' : entries.map(formatEntry).join(''))
      return 0
    } finally {
      await store.close()
    }
  },
}

function formatEntry(e: HistoryEntry): string {
  const cells = `${e.changes.length} cell${e.changes.length === 1 ? '' : 's'}`
  return `#${e.group}  ${e.at}  ${e.author ?? '-'}  ${e.kind}  ${cells}${e.undone ? '  (undone)' : ''}\n`
}
