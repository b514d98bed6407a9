// The contract every format module follows (netron-style): `match` looks at names and magic
// bytes without parsing, `open` parses and throws the module's own FormatError subclass with
// a message a person can act on.
import type { Graph } from '../core/graph.ts';

/** One dropped or named file, read whole. `path` is relative to the drop (folder/x.png). */
export interface FileEntry {
  path: string;
  data: Uint8Array;
}

export class FormatError extends Error {
  constructor(readonly format: string, message: string) {
    super(message);
    this.name = 'FormatError';
  }
}

export interface ModelFormat {
  readonly id: string;
  match(files: FileEntry[]): boolean;
  open(files: FileEntry[]): Promise<Graph>;
}

/** A decoded image at its own size; channels 1 (grey), 3 (RGB) or 4 (RGBA). */
export interface RawImage {
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  pixels: Uint8Array; // row-major H×W×C
}

export interface Dataset {
  name: string;
  images: RawImage[];
  /** Class index per image, or null when unlabeled (the float model's answer becomes the label). */
  labels: Int32Array | null;
  classes: string[];
}

export interface DataFormat {
  readonly id: string;
  match(files: FileEntry[]): boolean;
  open(files: FileEntry[]): Promise<Dataset>;
}
