// The contract every format module follows (netron-style): `match` looks at names and magic
// bytes without parsing, `open` parses and throws the module's own FormatError subclass with
// a message a person can act on.
import type { Graph } from '../core/graph.ts';
import { oneLine } from '../core/text.ts';

/** One dropped or named file, read whole. `path` is relative to the drop (folder/x.png). */
export interface FileEntry {
  path: string;
  data: Uint8Array;
}

export class FormatError extends Error {
  constructor(readonly format: string, message: string) {
    // One line whatever the file holds: names and snippets from it are shown escaped.
    super(oneLine(message));
    this.name = 'FormatError';
  }
}

/** Choices an importer cannot make alone. */
export interface ModelOptions {
  /** Which output of a multi-output model: a layer name or an index into the declared outputs
   *  (default: the last declared output). */
  output?: string | number;
}

export interface ModelFormat {
  readonly id: string;
  match(files: FileEntry[]): boolean;
  open(files: FileEntry[], options?: ModelOptions): Promise<Graph>;
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
  /** When the source already separates held-out images (the demo set's test part), they are
   *  images[heldOutFrom..]; the split then keeps them apart instead of shuffling everything. */
  heldOutFrom?: number;
}

/** Decodes an image the built-in decoders cannot (WebP, …), e.g. through createImageBitmap. */
export type ImageDecoder = (data: Uint8Array, path: string) => Promise<RawImage>;

export interface DataOptions {
  /** Used for image types without a built-in pure-JS decoder; defaults to createImageBitmap where it exists. */
  decodeImage?: ImageDecoder;
}

export interface DataFormat {
  readonly id: string;
  match(files: FileEntry[]): boolean;
  open(files: FileEntry[], options?: DataOptions): Promise<Dataset>;
}
