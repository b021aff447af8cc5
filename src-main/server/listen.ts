// Where web mode listens, checked before anything binds. Loopback needs nothing more; any other address
// carries tokens and labels across a network, so it needs a certificate (HTTPS/WSS) or an explicit
// --insecure-http. Certificate and key are read and checked here so a bad file is refused by name.
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { TagsmithError } from '../core/errors.ts'
import { LOOPBACK } from './auth.ts'

export interface ListenRequest {
  /** Address to bind (default 127.0.0.1). */
  host?: string
  tlsCert?: string
  tlsKey?: string
  insecureHttp?: boolean
  /** The name users type in the address bar, added to the Host/Origin allow-list. */
  publicName?: string
}

export interface ListenPlan {
  host: string
  /** PEM text of certificate and key: serve HTTPS/WSS. */
  tls: { cert: string; key: string } | null
  publicName: string | null
  /** Said on stderr at start (plain HTTP chosen explicitly). */
  warning: string | null
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'))
}

function isUnspecified(host: string): boolean {
  return host === '0.0.0.0' || host === '::'
}

export function planListen(request: ListenRequest): ListenPlan {
  const host = (request.host ?? LOOPBACK).trim()
  if (host !== 'localhost' && isIP(host) === 0) {
    throw new TagsmithError('BAD_INPUT', `--host must be an IP address of this machine (e.g. 127.0.0.1 or 192.168.1.20), got ${JSON.stringify(request.host)}`)
  }
  const publicName = request.publicName === undefined ? null : checkPublicName(request.publicName)
  const { tlsCert, tlsKey } = request
  if ((tlsCert === undefined) !== (tlsKey === undefined)) {
    throw new TagsmithError('BAD_INPUT', tlsCert === undefined ? '--tls-key needs --tls-cert too (the certificate, PEM)' : '--tls-cert needs --tls-key too (its private key, PEM)')
  }
  if (tlsCert !== undefined && request.insecureHttp) {
    throw new TagsmithError('BAD_INPUT', '--insecure-http and --tls-cert/--tls-key contradict each other: give one or the other')
  }
  if (!isLoopback(host) && tlsCert === undefined && !request.insecureHttp) {
    throw new TagsmithError(
      'BAD_INPUT',
      `--host ${host} is not a loopback address, so the access token and every label would cross the network: ` +
        'add --tls-cert FILE --tls-key FILE (PEM) to serve HTTPS, or --insecure-http to serve plain HTTP anyway',
    )
  }
  if (isUnspecified(host) && publicName === null) {
    throw new TagsmithError('BAD_INPUT', `--host ${host} listens on every address: add --public-name NAME, the name or address users type to reach this machine`)
  }
  const tls = tlsCert !== undefined && tlsKey !== undefined ? readTls(tlsCert, tlsKey) : null
  const warning = request.insecureHttp
    ? `warning: --insecure-http: serving plain HTTP on ${host}; the access token, user tokens and every label cross the network unencrypted`
    : null
  return { host, tls, publicName, warning }
}

function checkPublicName(name: string): string {
  const trimmed = name.trim().toLowerCase()
  // A host name or an IP address as typed in an address bar; no scheme, port or path.
  const ipv6 = trimmed.startsWith('[') && trimmed.endsWith(']') && isIP(trimmed.slice(1, -1)) === 6
  if (!ipv6 && !/^[a-z0-9]([a-z0-9-]{0,62})(\.[a-z0-9]([a-z0-9-]{0,62}))*$/.test(trimmed)) {
    throw new TagsmithError('BAD_INPUT', `--public-name must be a host name or address without scheme, port or path (e.g. labels.example.com), got ${JSON.stringify(name)}`)
  }
  return trimmed
}

function readTls(certFile: string, keyFile: string): { cert: string; key: string } {
  const cert = readPem('--tls-cert', certFile)
  const key = readPem('--tls-key', keyFile)
  let x509: X509Certificate
  try {
    x509 = new X509Certificate(cert)
  } catch {
    throw new TagsmithError('BAD_INPUT', `--tls-cert ${certFile} is not a PEM certificate`)
  }
  let privateKey: KeyObject
  try {
    privateKey = createPrivateKey(key)
  } catch {
    throw new TagsmithError('BAD_INPUT', `--tls-key ${keyFile} is not a PEM private key (an encrypted key is not supported)`)
  }
  if (!x509.checkPrivateKey(privateKey)) {
    throw new TagsmithError('BAD_INPUT', `--tls-key ${keyFile} does not match the certificate in --tls-cert ${certFile}`)
  }
  if (Date.parse(x509.validTo) < Date.now()) {
    throw new TagsmithError('BAD_INPUT', `--tls-cert ${certFile} expired on ${x509.validTo}`)
  }
  return { cert, key }
}

function readPem(option: string, file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : String(code ?? err)
    throw new TagsmithError('BAD_INPUT', `cannot read ${option} ${file}: ${why}`)
  }
}
