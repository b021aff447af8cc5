// `node --import <this file>`: every import of 'electron' in this process resolves to the stand-in.
import { register } from 'node:module'

register('./resolve-electron.mjs', import.meta.url)
