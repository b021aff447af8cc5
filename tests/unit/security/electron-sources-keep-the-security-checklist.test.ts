// The Electron security checklist, checked on the sources without launching Electron: every window is
// isolated and sandboxed without Node, no code weakens a web preference, IPC has one guarded entry,
// the preload exposes one allow-listed object, the policies carry no eval and no remote origin, and the
// UI never writes raw HTML.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { contentSecurityPolicy } from '../../../src-main/server/headers.ts'
import { HARDENED_WEB_PREFERENCES } from '../../hardened-web-preferences.ts'
import { dotted, literal, nodes, parseCsp, properties, repoRoot, sources, where, type SourceFile } from './support/source.ts'

const MAIN = sources('src-main')
// The preload bundles src-shared, so its code is held to the preload's rules.
const PRELOAD = sources('src-preload', 'src-shared')
const RENDERER = sources('src-renderer')
const ELECTRON = MAIN.filter((f) => f.path.startsWith('src-main/electron/'))

/** Web preferences that must hold for every window or view, and their only allowed values. */
const REQUIRED = HARDENED_WEB_PREFERENCES
/** Settings that weaken Electron wherever they appear, with the value that would weaken it. */
const WEAKENING: Record<string, boolean | undefined> = {
  ...Object.fromEntries(Object.entries(REQUIRED).map(([k, v]) => [k, !v])),
  enableRemoteModule: true,
  enableBlinkFeatures: undefined,
  bypassCSP: true,
  allowFileAccessFromFileURLs: true,
  allowUniversalAccessFromFileURLs: true,
}

function calls(files: SourceFile[], name: RegExp): Array<{ file: SourceFile; call: ts.CallExpression }> {
  const out: Array<{ file: SourceFile; call: ts.CallExpression }> = []
  for (const file of files) {
    for (const node of nodes(file.tree)) {
      if (ts.isCallExpression(node) && name.test(dotted(node.expression))) out.push({ file, call: node })
    }
  }
  return out
}

function cspIn(file: string): string {
  const text = readFileSync(join(repoRoot, file), 'utf8')
  const fromMeta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(text)?.[1]
  const fromLiteral = /["'](default-src 'self';[^"]+)["']/.exec(text)?.[1]
  const policy = fromMeta ?? fromLiteral
  if (!policy) throw new Error(`no Content-Security-Policy found in ${file}`)
  return policy
}

describe('the Electron security checklist, on the sources', () => {
  it('every BrowserWindow, BrowserView and WebContentsView is isolated, sandboxed, without Node, with web security', () => {
    const created: string[] = []
    for (const file of [...MAIN, ...PRELOAD]) {
      for (const node of nodes(file.tree)) {
        if (!ts.isNewExpression(node) || !/^(BrowserWindow|BrowserView|WebContentsView)$/.test(dotted(node.expression))) continue
        created.push(where(file, node))
        const options = node.arguments?.[0]
        expect(options && ts.isObjectLiteralExpression(options), `${where(file, node)}: options must be a literal object`).toBe(true)
        if (!options || !ts.isObjectLiteralExpression(options)) continue
        const prefs = properties(options).get('webPreferences')
        expect(prefs && ts.isObjectLiteralExpression(prefs), `${where(file, node)}: webPreferences must be a literal object`).toBe(true)
        if (!prefs || !ts.isObjectLiteralExpression(prefs)) continue
        const set = properties(prefs)
        for (const [name, value] of Object.entries(REQUIRED)) {
          const node = set.get(name)
          expect(node && literal(node), `${where(file, prefs)}: ${name} must be written as ${value}`).toBe(value)
        }
      }
    }
    expect(created.length, 'no window is created anywhere').toBeGreaterThan(0)
  })

  it('no code anywhere sets a web preference or protocol privilege that weakens Electron', () => {
    const found: string[] = []
    for (const file of [...MAIN, ...PRELOAD, ...RENDERER]) {
      for (const node of nodes(file.tree)) {
        if (!ts.isPropertyAssignment(node) || !(ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))) continue
        if (!(node.name.text in WEAKENING)) continue
        const bad = WEAKENING[node.name.text]
        const value = literal(node.initializer)
        // Any use of a setting with no safe value, the weakening value, or a value we cannot read here.
        if (bad === undefined || value === bad || value === undefined) found.push(`${where(file, node)}: ${node.getText()}`)
      }
    }
    expect(found).toEqual([])
  })

  it('hardening is installed before any window exists: sandbox for all renderers, every web contents, the session', () => {
    const index = ELECTRON.find((f) => f.path === 'src-main/electron/index.ts')
    expect(index).toBeDefined()
    if (!index) return
    const topLevel = index.tree.statements.filter(ts.isExpressionStatement).map((s) => s.expression.getText())
    expect(topLevel).toContain('installHardening()')
    expect(calls([index], /^hardenSession$/).map((c) => c.call.arguments[0]?.getText())).toEqual(['session.defaultSession'])
    const security = ELECTRON.find((f) => f.path === 'src-main/electron/security.ts')
    expect(calls(security ? [security] : [], /^app\.enableSandbox$/)).toHaveLength(1)
    expect(calls(security ? [security] : [], /\.setPermissionRequestHandler$/)).toHaveLength(1)
    expect(calls(security ? [security] : [], /\.setWindowOpenHandler$/)).toHaveLength(1)
  })

  it('never opens external URLs, evaluates strings or injects code into pages', () => {
    const all = [...MAIN, ...PRELOAD, ...RENDERER]
    const risky = calls(all, /(^|\.)openExternal$|^eval$|(^|\.)executeJavaScript$|(^|\.)insertCSS$/).map(({ file, call }) => where(file, call))
    const stringTimers = calls(all, /^(setTimeout|setInterval)$/)
      .filter(({ call }) => call.arguments[0] !== undefined && literal(call.arguments[0]) !== undefined)
      .map(({ file, call }) => where(file, call))
    const newFunction = all.flatMap((file) => [...nodes(file.tree)].filter((n) => ts.isNewExpression(n) && dotted(n.expression) === 'Function').map((n) => where(file, n)))
    expect([...risky, ...stringTimers, ...newFunction]).toEqual([])
  })

  it('IPC has one entry point, guarded by the sender check, and no fire-and-forget channels', () => {
    const handles = calls(MAIN, /^ipcMain\.(handle|handleOnce)$/)
    expect(handles.map(({ file }) => file.path)).toEqual(['src-main/electron/ipc.ts'])
    expect(calls(MAIN, /^ipcMain\.(on|once|addListener)$/)).toEqual([])
    const handler = handles[0]?.call.arguments[1]
    const body = handler?.getText() ?? ''
    expect(body.indexOf('isTrustedSender(')).toBeGreaterThan(-1)
    expect(body.indexOf('isTrustedSender(')).toBeLessThan(body.indexOf('service.handle('))
  })

  it('the preload exposes one object, window.tagsmith, built from allow-lists and never ipcRenderer itself', () => {
    const exposed = calls(PRELOAD, /^contextBridge\.exposeInMainWorld$/)
    expect(exposed.map(({ call }) => literal(call.arguments[0] ?? call))).toEqual(['tagsmith'])
    const preloadCalls = calls(PRELOAD, /^ipcRenderer\./).map(({ call }) => dotted(call.expression))
    expect([...new Set(preloadCalls)].sort()).toEqual(['ipcRenderer.invoke', 'ipcRenderer.on', 'ipcRenderer.removeListener'])
    for (const file of PRELOAD) {
      for (const node of nodes(file.tree)) {
        // ipcRenderer may be called, never handed over as a value.
        if (ts.isIdentifier(node) && node.text === 'ipcRenderer' && !ts.isImportSpecifier(node.parent)) {
          expect(ts.isPropertyAccessExpression(node.parent) && node.parent.expression === node, `${where(file, node)}: ipcRenderer passed as a value`).toBe(true)
        }
      }
    }
    const text = readFileSync(join(repoRoot, 'src-preload/index.ts'), 'utf8')
    expect(text.indexOf('isRequestName(name)')).toBeGreaterThan(-1)
    expect(text.indexOf('isEventName(name)')).toBeGreaterThan(-1)
  })

  it('the renderer never writes raw HTML', () => {
    const raw = RENDERER.flatMap((file) =>
      [...nodes(file.tree)]
        .filter((n) => ts.isPropertyAccessExpression(n) && /^(innerHTML|outerHTML)$/.test(n.name.text) && ts.isBinaryExpression(n.parent) && n.parent.left === n)
        .map((n) => where(file, n)),
    )
    const writes = calls(RENDERER, /(^|\.)insertAdjacentHTML$|^document\.(write|writeln)$/).map(({ file, call }) => where(file, call))
    const vHtml = vueFiles().filter((file) => /\sv-html\s*=/.test(readFileSync(file, 'utf8')))
    expect([...raw, ...writes, ...vHtml]).toEqual([])
  })

  it('every policy (Electron header, renderer page, web mode) allows no eval, no inline script and no remote origin', () => {
    const policies = {
      'Electron response header': cspIn('src-main/electron/policy.ts'),
      'renderer index.html': cspIn('src-renderer/index.html'),
      'web mode header': contentSecurityPolicy(51234),
    }
    for (const [name, policy] of Object.entries(policies)) {
      const csp = parseCsp(policy)
      expect(csp.get('default-src'), name).toEqual(["'self'"])
      expect(csp.get('script-src'), name).toEqual(["'self'"])
      expect(csp.get('object-src'), name).toEqual(["'none'"])
      expect(csp.get('base-uri'), name).toEqual(["'none'"])
      expect(csp.get('form-action'), name).toEqual(["'none'"])
      expect(policy, name).not.toMatch(/unsafe-eval|wasm-unsafe-eval|unsafe-hashes|strict-dynamic|\*\.|https?:\/\/|data:\s*;?\s*$/)
      for (const source of csp.get('connect-src') ?? []) expect(source, `${name} connect-src`).toMatch(/^('self'|ws:\/\/(127\.0\.0\.1|localhost):(\d+|\*))$/)
      for (const source of csp.get('img-src') ?? []) expect(source, `${name} img-src`).toMatch(/^('self'|data:|blob:|tagsmith-image:)$/)
    }
    expect(parseCsp(policies['Electron response header']).get('frame-ancestors')).toEqual(["'none'"])
    expect(parseCsp(policies['web mode header']).get('frame-ancestors')).toEqual(["'none'"])
  })

  it.skipIf(!existsSync(join(repoRoot, 'out', 'main', 'index.js')))('the built main bundle, where one exists, weakens no web preference', () => {
    const bundle = readFileSync(join(repoRoot, 'out', 'main', 'index.js'), 'utf8')
    for (const [name, bad] of Object.entries(WEAKENING)) {
      if (bad === undefined) expect(bundle, name).not.toMatch(new RegExp(`\\b${name}\\s*:`))
      else expect(bundle, name).not.toMatch(new RegExp(`\\b${name}\\s*:\\s*(${bad}|!${bad ? 0 : 1})\\b`))
    }
    expect(bundle).toMatch(/contextIsolation\s*:\s*(true|!0)/)
    expect(bundle).toMatch(/sandbox\s*:\s*(true|!0)/)
  })
})

function vueFiles(): string[] {
  return readdirSync(join(repoRoot, 'src-renderer'), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.vue'))
    .map((name) => join(repoRoot, 'src-renderer', name))
}
