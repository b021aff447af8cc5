import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export interface Migration {
  version: number
  name: string
  sql: string
}

const FILE = /^(\d{4})-[\w.-]+\.sql$/

/** Numbered migration files, lowest first. Read at run time so every room can add its own file. */
export function loadMigrations(dir: string = join(import.meta.dirname, 'migrations')): Migration[] {
  const migrations: Migration[] = []
  for (const name of readdirSync(dir)) {
    const match = FILE.exec(name)
    if (!match?.[1]) continue
    migrations.push({ version: Number(match[1]), name, sql: readFileSync(join(dir, name), 'utf8') })
  }
  migrations.sort((a, b) => a.version - b.version)
  for (let i = 1; i < migrations.length; i++) {
    const [prev, cur] = [migrations[i - 1], migrations[i]]
    if (prev && cur && prev.version === cur.version) {
      throw new Error(`two migrations share number ${cur.version}: ${prev.name}, ${cur.name}`)
    }
  }
  return migrations
}
