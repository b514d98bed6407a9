// Turns what a person drops (files, whole folders) or picks into FileEntry[] with paths relative
// to the drop, so a folder of class sub-folders keeps its structure.
import type { FileEntry } from '../../formats/types.ts';

async function readFile(file: File, path: string): Promise<FileEntry> {
  return { path, data: new Uint8Array(await file.arrayBuffer()) };
}

function entryFile(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function readDirectory(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  // readEntries returns at most ~100 entries per call; keep reading until it returns none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

async function walk(entry: FileSystemEntry, out: Promise<FileEntry>[]): Promise<void> {
  const path = entry.fullPath.replace(/^\//, '');
  if (entry.isFile) out.push(entryFile(entry as FileSystemFileEntry).then((f) => readFile(f, path)));
  else if (entry.isDirectory) for (const child of await readDirectory(entry as FileSystemDirectoryEntry)) await walk(child, out);
}

export async function readDataTransfer(dt: DataTransfer): Promise<FileEntry[]> {
  const entries = Array.from(dt.items).map((item) => item.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => !!e);
  if (entries.length === 0) return readFileList(dt.files);
  const out: Promise<FileEntry>[] = [];
  for (const e of entries) await walk(e, out);
  return Promise.all(out);
}

export function readFileList(files: FileList | File[]): Promise<FileEntry[]> {
  return Promise.all(Array.from(files).map((f) => readFile(f, f.webkitRelativePath || f.name)));
}
