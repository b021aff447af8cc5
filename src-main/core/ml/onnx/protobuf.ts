// A minimal protocol-buffers writer: just the wire types an ONNX model needs (varint, 32-bit float,
// length-delimited). Messages are built bottom-up as byte chunks, so nested lengths are known when
// written and no second pass is needed.

const WIRE_VARINT = 0
const WIRE_LENGTH_DELIMITED = 2
const WIRE_FIXED32 = 5

const utf8 = new TextEncoder()

export class ProtoWriter {
  private chunks: Uint8Array[] = []
  private size = 0

  get byteLength(): number {
    return this.size
  }

  /** An int64/int32/enum/bool field; negative numbers take the ten-byte two's-complement form. */
  int(field: number, value: number | bigint): this {
    this.tag(field, WIRE_VARINT)
    this.varint(BigInt(value))
    return this
  }

  /** A singular float field (fixed 32-bit, little-endian). */
  float(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32)
    const raw = new Uint8Array(4)
    new DataView(raw.buffer).setFloat32(0, value, true)
    this.push(raw)
    return this
  }

  string(field: number, value: string): this {
    return this.bytes(field, utf8.encode(value))
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LENGTH_DELIMITED)
    this.varint(BigInt(value.byteLength))
    this.push(value)
    return this
  }

  message(field: number, inner: ProtoWriter): this {
    this.tag(field, WIRE_LENGTH_DELIMITED)
    this.varint(BigInt(inner.size))
    for (const c of inner.chunks) this.push(c)
    return this
  }

  /** A repeated int64 field in packed form (one length-delimited run of varints). */
  packedInts(field: number, values: readonly (number | bigint)[]): this {
    const inner = new ProtoWriter()
    for (const v of values) inner.varint(BigInt(v))
    this.tag(field, WIRE_LENGTH_DELIMITED)
    this.varint(BigInt(inner.size))
    for (const c of inner.chunks) this.push(c)
    return this
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size)
    let offset = 0
    for (const c of this.chunks) {
      out.set(c, offset)
      offset += c.byteLength
    }
    return out
  }

  private tag(field: number, wireType: number): void {
    this.varint(BigInt((field << 3) | wireType))
  }

  private varint(value: bigint): void {
    let v = BigInt.asUintN(64, value)
    const bytes: number[] = []
    while (v >= 0x80n) {
      bytes.push(Number(v & 0x7fn) | 0x80)
      v >>= 7n
    }
    bytes.push(Number(v))
    this.push(Uint8Array.from(bytes))
  }

  private push(chunk: Uint8Array): void {
    this.chunks.push(chunk)
    this.size += chunk.byteLength
  }
}
