// Generated hostile inputs for the request fuzz: values a renderer or a WebSocket client could send
// (structured-clone values for IPC, JSON for the WebSocket), shaped like a request's real fields or not.

/** A nested array `depth` levels deep. */
function nested(depth: number): unknown {
  let value: unknown = []
  for (let i = 0; i < depth; i++) value = [value]
  return value
}

/** Values no request field accepts as they are, or accepts only to hit an edge (ids, lengths, names). */
export const HOSTILE_VALUES: unknown[] = [
  null,
  undefined,
  true,
  0,
  -1,
  1.5,
  -0,
  Number.MAX_SAFE_INTEGER + 2,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  2n ** 70n,
  '',
  ' ',
  '\u0000',
  '\u202eevil',
  '\ud800',
  'x'.repeat(20_000),
  '../../../../etc/passwd',
  'C:\\Windows\\win.ini',
  '__proto__',
  'constructor',
  [],
  [null],
  ['a', 1, {}],
  nested(800),
  Array.from({ length: 20_000 }, (_, i) => i),
  {},
  JSON.parse('{"__proto__":{"polluted":true}}') as unknown,
  { constructor: { prototype: { polluted: true } } },
  { toString: 'not a function', valueOf: 42 },
  new Date(0),
  new Map([['a', 1]]),
  new Set([1]),
  new Uint8Array(16),
  /regex/,
]

const EXTRA_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'then', 'extra']

/**
 * One generated input for a request whose object fields are `fields`: a bare hostile value, or an
 * object whose fields are dropped, swapped for hostile values or joined by unexpected keys.
 */
export function generatePayload(next: () => number, fields: readonly string[]): unknown {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T
  if (next() < 0.25) return pick(HOSTILE_VALUES)
  const payload: Record<string, unknown> = {}
  for (const field of fields) {
    const roll = next()
    if (roll < 0.2) continue
    payload[field] = pick(HOSTILE_VALUES)
  }
  if (fields.length === 0 || next() < 0.4) {
    // defineProperty, so "__proto__" becomes a real key as JSON.parse would make it.
    Object.defineProperty(payload, pick(EXTRA_KEYS), { value: pick(HOSTILE_VALUES), enumerable: true, writable: true, configurable: true })
  }
  return payload
}

/** JSON as a WebSocket client would send it; values JSON cannot hold are dropped or turned into null. */
export function asJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'null'
}
