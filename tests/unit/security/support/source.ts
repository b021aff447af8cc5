// Reads the app's sources as syntax trees (TypeScript's parser), so security rules are checked on the
// code itself rather than by text search: which objects are created, which properties set, which calls made.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import ts from 'typescript'

export const repoRoot = resolve(import.meta.dirname, '..', '..', '..', '..')

export interface SourceFile {
  /** Path relative to the repository root, with '/'. */
  path: string
  tree: ts.SourceFile
}

/** Every .ts (and .vue script, as text) file under the given folders of the repository. */
export function sources(...folders: string[]): SourceFile[] {
  const out: SourceFile[] = []
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (/\.(ts|vue)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        const path = relative(repoRoot, full).split('\\').join('/')
        let text = readFileSync(full, 'utf8')
        if (entry.name.endsWith('.vue')) text = /<script[^>]*>([\s\S]*?)<\/script>/.exec(text)?.[1] ?? ''
        out.push({ path, tree: ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS) })
      }
    }
  }
  for (const folder of folders) walk(join(repoRoot, folder))
  return out
}

/** Every node of a file, depth first. */
export function* nodes(node: ts.Node): Generator<ts.Node> {
  yield node
  for (const child of node.getChildren()) yield* nodes(child)
}

/** `a.b.c` for a property access or identifier chain; '' for anything else. */
export function dotted(node: ts.Node): string {
  if (ts.isIdentifier(node)) return node.text
  if (ts.isPropertyAccessExpression(node)) {
    const left = dotted(node.expression)
    return left ? `${left}.${node.name.text}` : ''
  }
  return ''
}

export function where(file: SourceFile, node: ts.Node): string {
  const { line } = file.tree.getLineAndCharacterOfPosition(node.getStart())
  return `${file.path}:${line + 1}`
}

/** The literal value of an initializer: true/false, a string or number, or undefined if not a literal. */
export function literal(node: ts.Node): boolean | string | number | undefined {
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text
  if (ts.isNumericLiteral(node)) return Number(node.text)
  return undefined
}

/** name -> initializer of an object literal's plain properties; shorthand properties map to their identifier. */
export function properties(object: ts.ObjectLiteralExpression): Map<string, ts.Node> {
  const out = new Map<string, ts.Node>()
  for (const p of object.properties) {
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) out.set(p.name.text, p.initializer)
    if (ts.isShorthandPropertyAssignment(p)) out.set(p.name.text, p.name)
  }
  return out
}

/** A Content-Security-Policy as directive -> sources. */
export function parseCsp(policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/)
    if (name) out.set(name.toLowerCase(), values)
  }
  return out
}
