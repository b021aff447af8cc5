import { TagsmithError } from '../errors.ts'

export interface DecodedText {
  text: string
  bom: boolean
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** UTF-8 with or without BOM; anything else is refused with the line of the first bad byte. */
export function decodeCsvBytes(bytes: Uint8Array, name: string): DecodedText {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new TagsmithError('BAD_INPUT', `${name} is UTF-16 text; save it as UTF-8 and import again`)
  }
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf
  const body = bom ? bytes.subarray(3) : bytes
  try {
    return { text: utf8.decode(body), bom }
  } catch {
    throw new TagsmithError(
      'BAD_INPUT',
      `${name} is not UTF-8 text (first invalid byte on line ${lineOfFirstInvalidByte(body)}); save it as UTF-8 and import again`,
    )
  }
}

function lineOfFirstInvalidByte(bytes: Uint8Array): number {
  // Binary search for the longest prefix that decodes, then count its lines.
  let lo = 0
  let hi = bytes.length
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    try {
      // stream: true tolerates a multi-byte sequence cut at the end of the prefix.
      new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(0, mid), { stream: true })
      lo = mid
    } catch {
      hi = mid - 1
    }
  }
  let line = 1
  for (let i = 0; i < lo; i++) if (bytes[i] === 0x0a) line++
  return line
}
