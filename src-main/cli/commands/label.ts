import type { LabelChange } from '../../core/dataset/project.ts'
import { TagsmithError } from '../../core/errors.ts'
import { openStore } from '../../core/store/open-store.ts'
import { json, parseCommandArgs, type CliCommand } from '../command.ts'
import { requestInput } from '../request-input.ts'
import { cliUser, givenStore, STORE_HELP, STORE_OPTIONS, storeLocation, USER_HELP, USER_OPTIONS } from '../store-option.ts'

const ASSIGNMENT = /^(.+)=([01])$/
const USAGE = 'usage: tagsmith label <project> <image-path> <label>=0|1 ... (or --store URL|FILE instead of <project>)'

export const command: CliCommand = {
  help: `Usage: tagsmith label <project> <image-path> <label>=0|1 ... [--user NAME] [--json]
       tagsmith label --store URL|FILE <image-path> <label>=0|1 ... [--user NAME] [--json]

Sets labels of one image as one undoable edit. The image path is as written in the CSV
or normalised ('/' separators, without './').

${STORE_HELP}
${USER_HELP}
  --json             print the recorded edit group {"group","at","changes"}
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { ...STORE_OPTIONS, ...USER_OPTIONS, json: { type: 'boolean' } })
    // The project comes first unless --store names it, or TAGSMITH_STORE does and the second argument is a label=value.
    const fromStore = values.store !== undefined || (givenStore(undefined) !== undefined && positionals[1]?.includes('=') === true)
    const named = fromStore ? undefined : positionals[0]
    const [imagePath, ...assignments] = fromStore ? positionals : positionals.slice(1)
    const location = storeLocation(named, values.store)
    if (location === undefined || imagePath === undefined || assignments.length === 0) throw new TagsmithError('BAD_INPUT', USAGE)
    const author = cliUser(values.user)
    const store = await openStore(location)
    try {
      const image = await store.findImage(imagePath)
      if (!image) throw new TagsmithError('BAD_INPUT', `no image ${JSON.stringify(imagePath)} in ${store.location}`)
      const labels = await store.labels()
      const changes: LabelChange[] = assignments.map((a) => {
        const match = ASSIGNMENT.exec(a)
        if (!match?.[1] || !match[2]) throw new TagsmithError('BAD_INPUT', `expected <label>=0|1, got ${JSON.stringify(a)}`)
        if (!labels.includes(match[1])) {
          throw new TagsmithError('BAD_INPUT', `unknown label ${JSON.stringify(match[1])} (labels: ${labels.join(', ')})`)
        }
        return { imageId: image.id, label: match[1], value: match[2] === '1' ? 1 : 0 }
      })
      const sources = Object.fromEntries(assignments.map((text, i) => [`changes.${i}`, { option: 'label', text }]))
      const group = await store.setLabels(requestInput('labels:set', { changes }, sources).changes, author)
      if (values.json) io.out(json(group))
      else if (group.changes.length === 0) io.out(`${image.path}: no change\n`)
      else io.out(`${image.path}: ${group.changes.map((c) => `${c.label} ${c.old ?? 'empty'} -> ${c.new}`).join(', ')}\n`)
      return 0
    } finally {
      await store.close()
    }
  },
}
