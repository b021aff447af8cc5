#!/usr/bin/env node
// Runs the TypeScript CLI from source under plain Node, through tsx's ESM loader.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src-main/cli/index.ts')
process.exitCode = await main(process.argv.slice(2))
