import { TagsmithError } from '../../core/errors.ts'
import type { CliCommand } from '../command.ts'

export const command: CliCommand = {
  help: 'Usage: tagsmith health <project>\n',
  async run() {
    throw new TagsmithError('UNAVAILABLE', 'not built yet')
  },
}
