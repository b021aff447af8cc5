import { describe, expect, it } from 'vitest'
import { connectionError, isPostgresUrl, parsePgUrl, redactUrl } from '../../../src-main/core/store/pg-connect.ts'

describe('PostgreSQL URLs', () => {
  it('hide the password wherever it is written, and keep the rest', () => {
    expect(redactUrl('postgresql://ann:s3cret@db.example:6543/labels')).toBe('postgresql://ann:***@db.example:6543/labels')
    expect(redactUrl('postgres://ann:p%40ss%2Fw@db/x?sslmode=require')).toBe('postgres://ann:***@db/x?sslmode=require')
    expect(redactUrl('postgresql://ann@db/x?password=s3cret&sslmode=require')).toBe('postgresql://ann@db/x?password=***&sslmode=require')
    expect(redactUrl('postgresql://ann@db/x')).toBe('postgresql://ann@db/x')
    // Not parseable as a URL: still no password.
    expect(redactUrl('postgresql://ann:s3cret@[bad/x')).not.toContain('s3cret')
  })

  it('tell a database URL from a file path', () => {
    expect(isPostgresUrl('postgresql://h/d')).toBe(true)
    expect(isPostgresUrl('POSTGRES://h/d')).toBe(true)
    expect(isPostgresUrl('postgresql.tagsmith')).toBe(false)
    expect(isPostgresUrl('/data/postgres://x')).toBe(false)
  })

  it('refuse a URL without a database or of another scheme, naming it without the password', () => {
    expect(() => parsePgUrl('postgresql://ann:s3cret@db:5432')).toThrow(/^postgresql:\/\/ann:\*\*\*@db:5432 names no database/)
    expect(() => parsePgUrl('mysql://ann:s3cret@db/x')).toThrow(/mysql:\/\/ann:\*\*\*@db\/x is not a PostgreSQL URL/)
    expect(parsePgUrl('postgresql://ann:s3cret@db/my%20labels')).toMatchObject({ host: 'db:5432', database: 'my labels', user: 'ann' })
  })

  it("turn the driver's failures into messages naming the server, never the password", () => {
    const target = parsePgUrl('postgresql://ann:s3cret@db:5432/labels')
    const cases: Array<[object, string, string]> = [
      [{ code: 'ECONNREFUSED' }, 'UNAVAILABLE', 'cannot reach PostgreSQL at db:5432: connection refused'],
      [{ code: 'ENOTFOUND' }, 'UNAVAILABLE', 'cannot reach PostgreSQL at db:5432: unknown host'],
      [{ code: '28P01' }, 'BAD_INPUT', 'PostgreSQL at db:5432 refused user ann: wrong password'],
      [{ code: '3D000' }, 'NOT_FOUND', 'database labels does not exist on PostgreSQL at db:5432'],
      [new Error('Connection terminated due to connection timeout'), 'UNAVAILABLE', 'no answer in time'],
      [Object.assign(new Error('boom at postgresql://ann:s3cret@db:5432/labels'), { code: 'XX000' }), 'INTERNAL', 'boom at postgresql://ann:***@'],
    ]
    for (const [err, code, message] of cases) {
      const mapped = connectionError(err, target)
      expect(mapped.code).toBe(code)
      expect(mapped.message).toContain(message)
      expect(mapped.message).not.toContain('s3cret')
    }
  })
})
