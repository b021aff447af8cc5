import type { LabelSetEdit } from '../../../src-preload/contract.ts'
import type { ImageRecord } from '../../core/dataset/types.ts'
import { TagsmithError } from '../../core/errors.ts'
import { openStore } from '../../core/store/open-store.ts'
import { json, parseCommandArgs, type CliCommand } from '../command.ts'
import { numberText, requestInput } from '../request-input.ts'
import { cliUser, givenStore, STORE_HELP, STORE_OPTIONS, storeLocation, USER_HELP, USER_OPTIONS } from '../store-option.ts'

const USAGE = `Usage: tagsmith labels <project> [--json]
       tagsmith labels <project> add NAME [--value 0|empty] [--json]
       tagsmith labels <project> rename OLD NEW [--json]
       tagsmith labels <project> remove NAME [--json]
       tagsmith labels <project> move NAME --to POS [--json]
       (or --store URL|FILE instead of <project>)`

const ACTIONS = ['add', 'rename', 'remove', 'move']

export const command: CliCommand = {
  help: `${USAGE}

Lists the labels (position, name, images set to 1, empty cells) or changes the label set. Each change
is one undoable step of the edit log (the app's Undo takes it back, values and all). Export writes the
new header; every other cell keeps its bytes. On a team store (PostgreSQL) a change is one transaction:
other writers wait for it, readers do not.

  add      a new label, last; every image's cell is empty, or 0 with --value 0
  rename   the label, the declared groups that hold it and the runs that know it
  remove   the label and its column (refused for the last label)
  move     the label to position POS (1 = first), and its column in the CSV beside its new neighbour
${STORE_HELP}
${USER_HELP}
  --json   print {"labels":[{"position","name","set","empty"}...]}, after a change also "step"
           ({"group","structure"})
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      value: { type: 'string' },
      to: { type: 'string' },
      json: { type: 'boolean' },
      ...STORE_OPTIONS,
      ...USER_OPTIONS,
    })
    // The project comes first unless --store names it, or TAGSMITH_STORE does and an action (or nothing) comes first.
    const fromStore = values.store !== undefined || (givenStore(undefined) !== undefined && (positionals[0] === undefined || ACTIONS.includes(positionals[0])))
    const named = fromStore ? undefined : positionals[0]
    const [op, ...names] = fromStore ? positionals : positionals.slice(1)
    const location = storeLocation(named, values.store)
    if (location === undefined) throw new TagsmithError('BAD_INPUT', `give a project file\n${USAGE}`)
    const edit = op === undefined ? null : parseEdit(op, names, values)
    const author = cliUser(values.user)
    const store = await openStore(location)
    try {
      const step = edit === null ? null : await store.editLabelSet(edit, author)
      const labels = labelCounts(await store.labels(), await store.images())
      if (values.json) io.out(json({ labels, ...(step ? { step: { group: step.group, structure: step.structure } } : {}) }))
      else io.out(`${step && edit ? `${done(edit)}\n` : ''}${table(labels)}`)
      return 0
    } finally {
      await store.close()
    }
  },
}

function parseEdit(op: string, names: string[], values: { value?: string; to?: string }): LabelSetEdit {
  const arity: Record<string, number> = { add: 1, rename: 2, remove: 1, move: 1 }
  const wanted = arity[op]
  if (wanted === undefined) throw new TagsmithError('BAD_INPUT', `unknown action ${JSON.stringify(op)}: give add, rename, remove or move\n${USAGE}`)
  if (names.length !== wanted) throw new TagsmithError('BAD_INPUT', `${op} takes ${wanted === 1 ? 'one name' : 'the old name and the new one'}\n${USAGE}`)
  if (values.value !== undefined && op !== 'add') throw new TagsmithError('BAD_INPUT', '--value goes with add')
  if (values.to !== undefined && op !== 'move') throw new TagsmithError('BAD_INPUT', '--to goes with move')
  const [name = '', second = ''] = names
  if (op === 'add') {
    const value = values.value
    if (value !== undefined && value !== '0' && value !== 'empty') {
      throw new TagsmithError('BAD_INPUT', `--value must be 0 or empty, got ${JSON.stringify(value)}`)
    }
    return requestInput('labels:edit', { op, name, value: value === '0' ? 0 : null }, {})
  }
  if (op === 'rename') return requestInput('labels:edit', { op, name, to: second }, {})
  if (op === 'remove') return requestInput('labels:edit', { op, name }, {})
  if (values.to === undefined) throw new TagsmithError('BAD_INPUT', 'move needs --to POS (1 = first)')
  return requestInput('labels:edit', { op: 'move', name, to: numberText(values.to) }, { to: { option: '--to', text: values.to } })
}

function done(edit: LabelSetEdit): string {
  const name = JSON.stringify(edit.name)
  switch (edit.op) {
    case 'add':
      return `added ${name} (${edit.value === 0 ? '0' : 'empty'} on every image)`
    case 'rename':
      return `renamed ${name} to ${JSON.stringify(edit.to)}`
    case 'remove':
      return `removed ${name}`
    case 'move':
      return `moved ${name} to position ${edit.to}`
  }
}

interface LabelCount {
  position: number
  name: string
  set: number
  empty: number
}

function labelCounts(labels: string[], images: ImageRecord[]): LabelCount[] {
  const counts = labels.map((name, i) => ({ position: i + 1, name, set: 0, empty: 0 }))
  for (const image of images) {
    image.labels.forEach((value, i) => {
      const c = counts[i]
      if (!c) return
      if (value === 1) c.set++
      else if (value === null) c.empty++
    })
  }
  return counts
}

function table(labels: LabelCount[]): string {
  const width = Math.max(4, ...labels.map((l) => l.name.length))
  const head = `${'#'.padStart(3)}  ${'name'.padEnd(width)}  ${'set'.padStart(7)}  ${'empty'.padStart(7)}\n`
  return head + labels.map((l) => `${String(l.position).padStart(3)}  ${l.name.padEnd(width)}  ${String(l.set).padStart(7)}  ${String(l.empty).padStart(7)}\n`).join('')
}
