import { basename, extname } from 'node:path'
import type { Split } from './types.ts'

/** train / val|valid|validation / test as a word in the file name; anything else is train. */
export function inferSplit(file: string): Split {
  const words = basename(file, extname(file)).toLowerCase().split(/[^a-z]+/)
  if (words.includes('test')) return 'test'
  if (words.some((w) => w === 'val' || w === 'valid' || w === 'validation')) return 'val'
  return 'train'
}
