// Documented limits on what an input may declare (README "Limits"). Every reader checks a
// declared size against these before it allocates anything, so a tiny hostile file (a BMP with
// four billion palette entries, a zip bomb, an HDF5 dataset of 10^10 elements) is refused with
// one line instead of exhausting memory. The figures leave room for every real model and data
// set the app targets (the paper's models, MNIST, Fashion-MNIST, ImageNet-sized images).

const MiB = 1024 * 1024;

export const LIMITS = {
  /** Bytes of one file read from disk or dropped in the page. */
  fileBytes: 512 * MiB,
  /** Bytes of all files of one model or data set read from disk (a folder). */
  totalBytes: 1024 * MiB,
  /** Bytes inflated from one zip archive or gzip file, all entries together. */
  inflatedBytes: 256 * MiB,
  /** Pixels (width × height) of one decoded image: 16.8 megapixels, e.g. 4096×4096. */
  imagePixels: 4096 * 4096,
  /** Decoded bytes (width × height × channels) of all images of one data set. */
  datasetBytes: 256 * MiB,
  /** Files in one folder or archive. */
  files: 1_000_000,
  /** Images in one data set. */
  images: 1_000_000,
  /** Elements of one weight tensor (256 MiB as float32). */
  tensorElements: 64 * MiB,
  /** Elements of one activation tensor of one image (what the engine stores per image). */
  activationElements: 4 * MiB,
  /** Depth of nested JSON (model.json, a Keras config). */
  jsonDepth: 200,
  /** Layers or nodes of one model. */
  layers: 100_000,
} as const;

const MEG = 1e6;

/** "512 MiB", "16.8 megapixels": limits as people read them. */
export function describeBytes(n: number): string {
  if (n >= 1024 * MiB) return `${+(n / (1024 * MiB)).toFixed(1)} GiB`;
  if (n >= MiB) return `${+(n / MiB).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

export const describeCount = (n: number): string => (n >= MEG ? `${+(n / MEG).toFixed(1)} million` : n.toLocaleString('en-US'));

/** Product of declared dimensions, or Infinity when any is not a non-negative safe integer. */
export function declaredElements(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 0) return Infinity;
    n *= d;
  }
  return n;
}

/** Throws `fail(message)` when JSON text nests deeper than LIMITS.jsonDepth (JSON.parse would overflow the stack long after). */
export function checkJsonDepth(text: string, fail: (m: string) => never, what = 'the JSON'): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > LIMITS.jsonDepth) fail(`${what} nests deeper than ${LIMITS.jsonDepth} levels: it is not a model file this app can read`);
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}

/** A declared size over a limit: the input may be valid, just larger than the app takes. */
export class LimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LimitError';
  }
}

/**
 * Why a graph cannot run, or null: every output size a whole number ≥ 1, no activation over
 * LIMITS.activationElements, no more nodes than LIMITS.layers. Checked after import for every
 * format, so the engine never sees a shape it would abort or divide by zero on.
 */
export function graphProblem(graph: { nodes: ReadonlyArray<{ name: string; kind: string; shape: readonly number[] }> }): string | null {
  if (graph.nodes.length > LIMITS.layers) return `the model has ${describeCount(graph.nodes.length)} layers; the limit is ${describeCount(LIMITS.layers)}`;
  for (const n of graph.nodes) {
    const what = n.kind === 'input' ? `the input ${n.name}` : `layer ${n.name} (${n.kind})`;
    if (!n.shape.every((d) => Number.isSafeInteger(d) && d >= 1)) {
      return `${what} has output shape ${n.shape.join('×')}: every size must be a whole number ≥ 1 (check its size, strides, kernel and padding)`;
    }
    const count = n.shape.reduce((a, b) => a * b, 1);
    if (count > LIMITS.activationElements) {
      return `${what} outputs ${n.shape.join('×')} = ${describeCount(count)} values per image; the limit is ${describeCount(LIMITS.activationElements)} per activation tensor: use a smaller input size`;
    }
  }
  return null;
}
