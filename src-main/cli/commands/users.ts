import { TagsmithError } from '../../core/errors.ts'
import { openStore } from '../../core/store/open-store.ts'
import { json, parseCommandArgs, type CliCommand } from '../command.ts'
import { givenStore, STORE_HELP, STORE_OPTIONS } from '../store-option.ts'

const USAGE = `Usage: tagsmith users add NAME --store URL|FILE [--json]
       tagsmith users list --store URL|FILE [--json]
       tagsmith users remove NAME --store URL|FILE [--json]`

export const command: CliCommand = {
  help: `${USAGE}

The team members a store admits, each with a token for the team server. add prints the new user's
token once: the store keeps only its hash, so a lost token is replaced by removing and adding the user.
remove stops the user's token at once; the steps they made keep their name.

${STORE_HELP}
  --json             add: {"name","token"}; list: [{"name","createdAt"}...]; remove: {"removed"}
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { ...STORE_OPTIONS, json: { type: 'boolean' } })
    const [action, ...names] = positionals
    const wanted: Record<string, number> = { add: 1, list: 0, remove: 1 }
    const arity = action === undefined ? undefined : wanted[action]
    if (action === undefined || arity === undefined) {
      throw new TagsmithError('BAD_INPUT', `${action === undefined ? 'give an action' : `unknown action ${JSON.stringify(action)}`}: add, list or remove\n${USAGE}`)
    }
    if (names.length !== arity) throw new TagsmithError('BAD_INPUT', `${action} takes ${arity === 1 ? 'one user name' : 'no name'}\n${USAGE}`)
    const location = givenStore(values.store)
    if (location === undefined) throw new TagsmithError('BAD_INPUT', `give the store with --store URL|FILE (or TAGSMITH_STORE)\n${USAGE}`)
    const name = names[0] ?? ''
    const store = await openStore(location)
    try {
      if (action === 'add') {
        const user = await store.addUser(name)
        io.out(values.json ? json({ name: user.name, token: user.token }) : `Added ${user.name}. Their token, shown only now:\n${user.token}\n`)
      } else if (action === 'remove') {
        await store.removeUser(name)
        io.out(values.json ? json({ removed: name }) : `Removed ${name}: their token no longer works.\n`)
      } else {
        const users = await store.listUsers()
        if (values.json) io.out(json(users))
        else io.out(users.length === 0 ? 'No users.\n' : users.map((u) => `${u.name}  (added ${u.createdAt})\n`).join(''))
      }
      return 0
    } finally {
      await store.close()
    }
  },
}
