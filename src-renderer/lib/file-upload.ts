// Files the page holds (chosen or dropped) as the uploads images:add takes, and a drop's folders read into
// their files, so web mode (which never learns where a file lives) can add them by their bytes.
import type { AddUpload } from '../../src-preload/contract.ts'

/** A file to upload and the name it goes by: a dropped or chosen folder's files keep their folder path. */
export interface NamedFile {
  name: string
  file: File
}

/** Base64 of bytes, in slices so no call gets millions of arguments. */
export function toBase64(bytes: Uint8Array): string {
  let text = ''
  const SLICE = 0x8000
  for (let i = 0; i < bytes.length; i += SLICE) text += String.fromCharCode(...bytes.subarray(i, i + SLICE))
  return btoa(text)
}

export async function toUpload({ name, file }: NamedFile): Promise<AddUpload> {
  return { name, dataBase64: toBase64(new Uint8Array(await file.arrayBuffer())) }
}

/** Chosen files, named by their path inside a chosen folder (webkitRelativePath) when there is one. */
export function chosenFiles(list: FileList | null): NamedFile[] {
  return [...(list ?? [])].map((file) => ({ name: file.webkitRelativePath || file.name, file }))
}

/** Every file of a drop, folders read recursively; names are paths from the dropped item down. */
export async function droppedFiles(items: readonly DataTransferItem[]): Promise<NamedFile[]> {
  // Read now, inside the drop event; a file with no entry (made by a script) is taken as it is.
  const kept = items.filter((i) => i.kind === 'file').map((i) => ({ entry: i.webkitGetAsEntry(), file: i.getAsFile() }))
  const out: NamedFile[] = []
  const visit = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    const name = prefix === '' ? entry.name : `${prefix}/${entry.name}`
    if (entry.isFile) {
      const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject))
      out.push({ name, file })
    } else if (entry.isDirectory) {
      for (const child of await readAll(entry as FileSystemDirectoryEntry)) await visit(child, name)
    }
  }
  for (const { entry, file } of kept) {
    if (entry !== null) await visit(entry, '')
    else if (file !== null) out.push({ name: file.name, file })
  }
  return out
}

/** A folder's entries; the reader hands them over in batches until an empty one. */
async function readAll(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader()
  const all: FileSystemEntry[] = []
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject))
    if (batch.length === 0) return all
    all.push(...batch)
  }
}
