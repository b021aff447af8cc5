import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { findPgBin, startCluster } from '../../support/postgres-cluster.ts'

const path = process.env.PATH
const made: string[] = []
afterEach(() => {
  process.env.PATH = path
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('the test PostgreSQL cluster', () => {
  it('fails with the reason when initdb fails, leaving no temp folder behind', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'tagsmith-fake-pg-'))
    made.push(bin)
    for (const name of ['initdb', 'pg_ctl']) {
      writeFileSync(join(bin, name), '#!/bin/sh\necho "disk full: cannot create data folder" >&2\nexit 1\n')
      chmodSync(join(bin, name), 0o755)
    }
    // Readable by the postgres account the cluster runs as when we are root.
    chmodSync(bin, 0o755)
    process.env.PATH = `${bin}:${path ?? ''}`
    expect(findPgBin()).toBe(bin)
    const parent = mkdtempSync(join(tmpdir(), 'tagsmith-fake-pg-parent-'))
    made.push(parent)
    chmodSync(parent, 0o755)
    await expect(startCluster(parent)).rejects.toThrow(/^initdb failed: disk full: cannot create data folder$/)
    expect(readdirSync(parent)).toEqual([])
  })
})
