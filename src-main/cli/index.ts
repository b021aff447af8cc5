import { TagsmithError, type ErrorCode } from '../core/errors.ts'
import { wantsHelp, type CliCommand, type CliIO } from './command.ts'

interface CommandEntry {
  summary: string
  load: () => Promise<{ command: CliCommand }>
}

// One line per command; modules load only when their command runs, so a heavy command
// costs nothing to the others.
const COMMANDS: Record<string, CommandEntry> = {
  import: { summary: 'import CSV files into a new project', load: () => import('./commands/import.ts') },
  export: { summary: 'write the project back to CSV files', load: () => import('./commands/export.ts') },
  add: { summary: 'add image files or folders to a project', load: () => import('./commands/add.ts') },
  rescan: { summary: 'mark images gone as missing and list image files not in the project', load: () => import('./commands/rescan.ts') },
  label: { summary: 'set labels of one image', load: () => import('./commands/label.ts') },
  labels: { summary: 'list the labels, or add, rename, remove or move one', load: () => import('./commands/labels.ts') },
  stats: { summary: 'label counts per split and co-occurrence', load: () => import('./commands/stats.ts') },
  train: { summary: 'extract features and train a model on the train split', load: () => import('./commands/train.ts') },
  evaluate: { summary: 'score a trained run on val, test or another CSV', load: () => import('./commands/evaluate.ts') },
  groups: { summary: 'declare groups of labels of which exactly one holds', load: () => import('./commands/groups.ts') },
  thresholds: { summary: "show, tune or set a run's per-label thresholds", load: () => import('./commands/thresholds.ts') },
  'export-model': { summary: 'write a trained run as a TF.js model folder that checks itself', load: () => import('./commands/export-model.ts') },
  issues: { summary: 'rank images whose labels the model most disagrees with', load: () => import('./commands/issues.ts') },
  health: { summary: 'dataset health: counts, rare labels, group violations, near-duplicates', load: () => import('./commands/health.ts') },
  similar: { summary: 'the images most like one image, by their cached features', load: () => import('./commands/similar.ts') },
  predict: { summary: "label images with an exported model folder or a project's run", load: () => import('./commands/predict.ts') },
  migrate: { summary: 'copy a project between a file and a team store (PostgreSQL), both ways', load: () => import('./commands/migrate.ts') },
  history: { summary: 'the steps of the edit log, newest first, with who made them', load: () => import('./commands/history.ts') },
  users: { summary: "add, list or remove a store's users and their tokens", load: () => import('./commands/users.ts') },
  serve: { summary: 'open the app in a web browser (127.0.0.1 only)', load: () => import('./commands/serve.ts') },
}

// Problems with what the user gave us: exit 2, message only.
const USER_ERRORS: ReadonlySet<ErrorCode> = new Set(['BAD_INPUT', 'NOT_FOUND', 'TOO_NEW', 'CONFLICT'])

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length))
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
  return [
    'Usage: tagsmith <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `tagsmith <command> --help` for the options of one command.',
    'Exit codes: 0 success, 2 bad input (message on stderr), 1 internal error.',
    '',
  ].join('\n')
}

const processIO: CliIO = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  interactive: Boolean(process.stderr.isTTY),
}

export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...args] = argv
  if (name === undefined) {
    io.err(usage())
    return 2
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.out(usage())
    return 0
  }
  const entry = COMMANDS[name]
  if (!entry) {
    io.err(`tagsmith: unknown command ${JSON.stringify(name)}\n\n${usage()}`)
    return 2
  }
  try {
    const { command } = await entry.load()
    if (wantsHelp(args)) {
      io.out(command.help)
      return 0
    }
    return await command.run(args, io)
  } catch (err) {
    if (err instanceof TagsmithError) {
      io.err(`tagsmith ${name}: ${err.message}\n`)
      return USER_ERRORS.has(err.code) ? 2 : 1
    }
    io.err(`tagsmith ${name}: internal error: ${err instanceof Error ? err.message : String(err)}\n`)
    return 1
  }
}
