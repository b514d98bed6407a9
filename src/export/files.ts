// What every writer returns: named files, text or bytes. The CLI writes them into its output
// folder; the worker wraps them into Blobs for download. Nothing here touches the file system.

export interface ExportFile {
  name: string;
  data: Uint8Array | string;
}

/** A model or configuration that an export cannot represent; the message says what to change. */
export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportError';
  }
}

/** The bytes of a file as written to disk (strings are UTF-8). */
export function fileBytes(f: ExportFile): Uint8Array {
  return typeof f.data === 'string' ? new TextEncoder().encode(f.data) : f.data;
}

/** Typed arrays become plain arrays and non-finite numbers null, so any report object serialises. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number | bigint>, (v) => (typeof v === 'bigint' ? v.toString() : v));
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}
