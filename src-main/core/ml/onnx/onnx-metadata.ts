// Reads the key/value metadata (ModelProto field 14) of an .onnx file: ONNX Runtime for Node does not
// expose it, and an exported classifier keeps its labels, thresholds and preprocessing there.
import { TagsmithError } from '../../errors.ts'

const utf8 = new TextDecoder('utf-8', { fatal: false })

export function readOnnxMetadata(bytes: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {}
  for (const field of fields(bytes, 0, bytes.byteLength)) {
    if (field.number !== 14 || !field.bytes) continue
    let key = ''
    let value = ''
    for (const entry of fields(bytes, field.bytes[0], field.bytes[1])) {
      if (!entry.bytes) continue
      const text = utf8.decode(bytes.subarray(entry.bytes[0], entry.bytes[1]))
      if (entry.number === 1) key = text
      else if (entry.number === 2) value = text
    }
    out[key] = value
  }
  return out
}

interface Field {
  number: number
  /** [start, end) of a length-delimited field's payload */
  bytes?: [number, number]
}

/** Walks the fields of one message, skipping the payload of every wire type it does not need. */
function* fields(buf: Uint8Array, start: number, end: number): Generator<Field> {
  let pos = start
  const varint = (): number => {
    let result = 0
    let shift = 0
    for (;;) {
      if (pos >= end) throw new TagsmithError('BAD_INPUT', 'ONNX file: truncated protobuf varint')
      const b = buf[pos++] as number
      result += (b & 0x7f) * 2 ** shift
      if (b < 0x80) return result
      shift += 7
      if (shift > 63) throw new TagsmithError('BAD_INPUT', 'ONNX file: malformed protobuf varint')
    }
  }
  while (pos < end) {
    const tag = varint()
    const number = Math.floor(tag / 8)
    const wire = tag % 8
    if (wire === 0) varint()
    else if (wire === 1) pos += 8
    else if (wire === 5) pos += 4
    else if (wire === 2) {
      const length = varint()
      if (pos + length > end) throw new TagsmithError('BAD_INPUT', 'ONNX file: protobuf field runs past the end')
      yield { number, bytes: [pos, pos + length] }
      pos += length
      continue
    } else {
      throw new TagsmithError('BAD_INPUT', `ONNX file: unsupported protobuf wire type ${wire}`)
    }
    yield { number }
  }
}
