// A cut-off image file usually lacks the marker its format puts last: a cheap check on the file's last
// bytes, used when a folder import decides which files become rows and when a decode failure is explained.
import { open } from 'node:fs/promises'

/** What is missing at the end of a file of this format ('jpeg', 'png', 'gif'), or null when it looks whole. */
export function missingEndMarker(format: string, tail: Buffer): string | null {
  if (format === 'jpeg' && !hasJpegEnd(tail)) return 'the JPEG file ends before its end-of-image marker'
  if (format === 'png' && !tail.includes('IEND', 0, 'latin1')) return 'the PNG file ends before its IEND chunk'
  if (format === 'gif' && tail.at(-1) !== 0x3b) return 'the GIF file ends before its trailer'
  return null
}

function hasJpegEnd(tail: Buffer): boolean {
  // Some writers pad after the marker; allow trailing zero bytes.
  let end = tail.length
  while (end > 0 && tail[end - 1] === 0) end--
  return end >= 2 && tail[end - 2] === 0xff && tail[end - 1] === 0xd9
}

/** The first and last 16 bytes of a file. */
export async function readEnds(file: string): Promise<{ head: Buffer; tail: Buffer }> {
  const fh = await open(file, 'r')
  try {
    const size = (await fh.stat()).size
    const read = async (position: number): Promise<Buffer> => {
      const { buffer, bytesRead } = await fh.read(Buffer.alloc(16), 0, 16, position)
      return buffer.subarray(0, bytesRead)
    }
    return { head: await read(0), tail: await read(Math.max(0, size - 16)) }
  } finally {
    await fh.close()
  }
}
