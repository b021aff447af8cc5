import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

// What a user's Electron loads is the built output, not the sources the other tests run through tsx. A chunk
// that does not parse stops the app before its first line runs, so every emitted script is checked here.
const repoRoot = path.resolve(import.meta.dirname, '../..')
const outDirs = ['out/main', 'out/preload', 'out/renderer']

function scriptsUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(dir, name))
    .filter((file) => /\.(m?js|cjs)$/.test(file) && statSync(file).isFile())
}

/** node --check on the file's text, as an ES module or CommonJS by how it would be loaded. */
function syntaxError(file: string): string | null {
  const type = file.endsWith('.cjs') ? 'commonjs' : 'module'
  const checked = spawnSync(process.execPath, [`--input-type=${type}`, '--check'], {
    input: readFileSync(file),
    encoding: 'utf8',
  })
  return checked.status === 0 ? null : checked.stderr.split('\n').slice(0, 6).join('\n')
}

describe('the built desktop bundles', () => {
  for (const dir of outDirs) {
    it(`every script in ${dir} parses`, () => {
      const files = scriptsUnder(path.join(repoRoot, dir))
      expect(files.length, `${dir} is empty: run npm run build:app first`).toBeGreaterThan(0)
      const failures = files
        .map((file) => ({ file: path.relative(repoRoot, file), error: syntaxError(file) }))
        .filter((f) => f.error !== null)
      expect(failures).toEqual([])
    })
  }

  it('the check catches a duplicate module-level require like the one the ESM shim used to collide with', () => {
    const checked = spawnSync(process.execPath, ['--input-type=module', '--check'], {
      input:
        'import { createRequire } from "node:module"\nconst require = createRequire(import.meta.url)\nvar require = createRequire(import.meta.url)\n',
      encoding: 'utf8',
    })
    expect(checked.status).not.toBe(0)
    expect(checked.stderr).toContain("Identifier 'require' has already been declared")
  })
})
