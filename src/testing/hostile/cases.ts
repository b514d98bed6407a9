// The cases of the hostile corpus, grouped by the item of issue 15 they reproduce. A case's
// `message` is the exact text after "fixpoint: " ({dir}: the case's folder, {target}: the
// path given to the command).
import { execFileSync } from 'node:child_process';
import { closeSync, createWriteStream, mkdirSync, openSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { constants, createGzip } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';
import { SUPPORTED_OPS } from '../../formats/onnx/import.ts';
import { bmp8, conv, dense, demoModel, flatten, gap, idx, jpegClaiming, kerasH5, layersModel, maxPool, onnxWith, png, type Json } from './bytes.ts';

type Files = Record<string, Uint8Array>;

export interface HostileCase {
  id: string;
  /** The item of issue 15 it belongs to. */
  item: number;
  /** Which flag gets the target: --model, --data, or neither (flags-only cases). */
  use: 'model' | 'data' | 'none';
  command?: 'eval' | 'quantize';
  /** Files of the case, relative to its folder; a function when they are built from the checkout. */
  files?: Files | ((root: string) => Files | Promise<Files>);
  /** Path inside the case folder given to the flag ('' = the folder; default: the first file). */
  target?: string;
  /** Further arguments ({dir} = the case's folder). */
  args?: string[];
  /** Made at test time (bombs, links, FIFOs, sparse files), never committed. */
  made?: boolean;
  setup?: (dir: string) => void | Promise<void>;
  /** Also dropped in the page by the e2e test (a representative third). */
  page?: boolean;
  message: string;
}

const json = (v: unknown) => strToU8(JSON.stringify(v));

/** The demo model.json with `edit` applied to its parsed JSON, beside its weights. */
const demoWith = (edit: (j: Json) => void) => (root: string): Files => {
  const { json: j, weights } = demoModel(root);
  edit(j);
  return { 'model.json': json(j), 'weights.bin': weights };
};

/** A class-folder data set of two valid 28×28 PNGs per class `0` and `1`, plus `extra` files. */
const classFolders = (extra: Files): Files => ({
  'digits/0/a.png': png(28, 28), 'digits/0/b.png': png(28, 28), 'digits/1/c.png': png(28, 28), 'digits/1/d.png': png(28, 28), ...extra,
});

/** Streams `mib` MiB of zeros through gzip into a file (no large buffer in memory). */
async function gzipZeros(path: string, mib: number, header: Uint8Array): Promise<void> {
  const gz = createGzip({ level: constants.Z_BEST_COMPRESSION });
  const out = createWriteStream(path);
  const done = new Promise<void>((res, rej) => { out.on('finish', res); out.on('error', rej); });
  gz.pipe(out);
  gz.write(header);
  const zeros = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < mib; i++) if (!gz.write(zeros)) await new Promise((r) => gz.once('drain', r));
  gz.end();
  await done;
}

/** A zip of `entries` copies of 1 MiB of zeros (deflated once, about 1 KB each). */
function zipOfZeros(entries: number): Uint8Array {
  const zeros = new Uint8Array(1024 * 1024);
  const files: Record<string, Uint8Array> = {};
  for (let i = 0; i < entries; i++) files[`set/0/img${i}.png`] = zeros;
  return zipSync(files, { level: 9 });
}

export const CASES: HostileCase[] = [
  // ── 1. Tiny files that exhaust memory ────────────────────────────────────────────────────
  {
    id: 'bmp-palette-4g', item: 1, use: 'data', target: 'digits', page: true,
    files: classFolders({ 'digits/1/evil.bmp': (() => { const b = bmp8(28, 28, 0); b.set([0xff, 0xff, 0xff, 0xff], 46); return b; })() }),
    message: 'cannot decode evil.bmp as BMP: its header declares 4294967295 palette colours for 8-bit pixels (at most 256, within the file) (damaged file?)',
  },
  {
    id: 'png-30000', item: 1, use: 'data', target: 'digits', page: true,
    files: classFolders({ 'digits/1/huge.png': png(30000, 30000, 1) }),
    message: 'huge.png: it is 30000×30000 pixels; the limit is 16.8 million pixels per image: resize it',
  },
  {
    id: 'jpeg-30000', item: 1, use: 'data', target: 'digits', page: true,
    files: classFolders({ 'digits/1/huge.jpg': jpegClaiming(30000, 30000) }),
    message: 'huge.jpg: it is 30000×30000 pixels; the limit is 16.8 million pixels per image: resize it',
  },
  {
    id: 'manifest-200m-images', item: 1, use: 'data', target: '', page: true,
    files: {
      'manifest.json': json({ format: 'fixpoint-dataset', height: 1, width: 1, channels: 1, sets: { calibration: { count: 200_000_000, images: 'i.u8', labels: 'l.u8' } } }),
      'i.u8': new Uint8Array(16), 'l.u8': new Uint8Array(16),
    },
    message: 'manifest-200m-images/manifest.json declares 200 million images; the limit is 1 million per data set',
  },
  {
    id: 'idx-100m-images', item: 1, use: 'data', target: '',
    files: { 't10k-images-idx3-ubyte': idx([100_000_000, 28, 28], new Uint8Array(64)) },
    message: 't10k-images-idx3-ubyte is truncated: its header announces 100000000×28×28 = 78400000000 bytes but 64 follow',
  },
  {
    id: 'zip-bomb', item: 1, use: 'data', made: true,
    files: () => ({ 'bomb.zip': zipOfZeros(300) }),
    message: 'bomb.zip inflates to more than 256 MiB, the limit for an archive: unpack it and use the part you need',
  },
  {
    id: 'gzip-bomb', item: 1, use: 'data', made: true, target: '',
    setup: async (dir) => {
      writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), idx([10]));
      await gzipZeros(join(dir, 't10k-images-idx3-ubyte.gz'), 300, idx([10, 28, 28], new Uint8Array()));
    },
    message: 't10k-images-idx3-ubyte.gz inflates to more than 256 MiB, the limit for an archive: unpack it and use the part you need',
  },
  {
    id: 'tfjs-tensor-1e10', item: 1, use: 'model', target: 'model.json', page: true,
    files: demoWith((j) => { j.weightsManifest[0].weights[4].shape = [100000, 100000]; }),
    message: 'weight fc1/kernel declares 100000×100000 = 10000 million values; the limit is 67.1 million per tensor',
  },
  {
    id: 'json-nested-100000', item: 1, use: 'model', target: 'model.json', page: true,
    files: { 'model.json': strToU8(`{"modelTopology":${'['.repeat(100000)}${']'.repeat(100000)}}`) },
    message: 'model.json nests deeper than 200 levels: it is not a model file this app can read',
  },
  {
    id: 'dev-zero', item: 1, use: 'model', target: '/dev/zero',
    message: '/dev/zero is not a regular file (a device, pipe or socket); give a file or folder',
  },
  {
    id: 'fifo', item: 1, use: 'model', made: true, target: 'model.json',
    setup: (dir) => { execFileSync('mkfifo', [join(dir, 'model.json')]); },
    message: '{target} is not a regular file (a device, pipe or socket); give a file or folder',
  },
  {
    id: 'file-600mib', item: 1, use: 'model', made: true, target: 'model.h5',
    setup: (dir) => { const fd = openSync(join(dir, 'model.h5'), 'w'); writeSync(fd, new Uint8Array([0x89, 0x48, 0x44, 0x46])); closeSync(fd); execFileSync('truncate', ['-s', '600M', join(dir, 'model.h5')]); },
    message: '{target} is 600 MiB; the limit is 512 MiB per file',
  },
  // ── 2. Path traversal ─────────────────────────────────────────────────────────────────────
  {
    id: 'weights-dotdot', item: 2, use: 'model', target: 'm/model.json',
    files: (root) => { const f = demoWith((j) => { j.weightsManifest[0].paths = ['../../secret.txt']; })(root); return { 'm/model.json': f['model.json'], 'm/weights.bin': f['weights.bin'] }; },
    message: 'model.json lists the weight path "../../secret.txt", which leads outside the model\'s folder; weight files must lie in the folder of model.json or below it',
  },
  {
    id: 'weights-absolute', item: 2, use: 'model', target: 'model.json',
    files: demoWith((j) => { j.weightsManifest[0].paths = ['/etc/passwd']; }),
    message: 'model.json lists the weight path "/etc/passwd", which leads outside the model\'s folder; weight files must lie in the folder of model.json or below it',
  },
  {
    id: 'weights-symlink-out', item: 2, use: 'model', made: true, target: 'm/model.json',
    files: (root) => { const f = demoWith((j) => { j.weightsManifest[0].paths = ['weights.bin']; })(root); return { 'm/model.json': f['model.json'], 'outside/weights.bin': f['weights.bin'] }; },
    setup: (dir) => { symlinkSync('../outside/weights.bin', join(dir, 'm', 'weights.bin')); },
    message: 'model.json lists the weight path "weights.bin", which is a link leading outside the model\'s folder; copy the weight file into the folder',
  },
  // ── 3. --out ───────────────────────────────────────────────────────────────────────────────
  {
    id: 'out-user-files', item: 3, use: 'none', command: 'quantize', args: ['--out', '{dir}/out'],
    files: { 'out/report.json': strToU8('{"mine": true}\n'), 'out/c/Makefile': strToU8('all:\n') },
    message: "--out {dir}/out already holds files Fixpoint did not write (c/Makefile, report.json); give a new or empty folder, or add --force to write Fixpoint's files beside them",
  },
  {
    id: 'out-link-planted', item: 3, use: 'none', command: 'quantize', args: ['--out', '{dir}/out'], made: true,
    files: { 'victim.txt': strToU8('precious\n') },
    setup: (dir) => { mkdirSync(join(dir, 'out')); symlinkSync('../victim.txt', join(dir, 'out', 'layers.csv')); },
    message: "--out {dir}/out already holds files Fixpoint did not write (layers.csv); give a new or empty folder, or add --force to write Fixpoint's files beside them",
  },
  {
    id: 'out-is-link', item: 3, use: 'none', command: 'quantize', args: ['--out', '{dir}/out'], made: true,
    setup: (dir) => { mkdirSync(join(dir, 'elsewhere')); symlinkSync('elsewhere', join(dir, 'out')); },
    message: '--out {dir}/out is a link; give the folder itself (Fixpoint does not follow links when writing)',
  },
  {
    id: 'out-is-file', item: 3, use: 'none', command: 'quantize', args: ['--out', '{dir}/out'],
    files: { out: strToU8('not a folder\n') },
    message: '--out {dir}/out is a file, not a folder; give a new or empty folder',
  },
  {
    id: 'out-proc', item: 3, use: 'none', command: 'quantize', args: ['--out', '/proc/x'],
    message: '--out /proc/x cannot be created (noent); give a folder you can write to',
  },
  // ── 4. Raw internal errors ────────────────────────────────────────────────────────────────
  {
    id: 'zero-padding-50000', item: 4, use: 'model', target: 'model.json', page: true,
    files: () => layersModel('pad', [28, 28, 1], [{ cls: 'ZeroPadding2D', config: { name: 'pad', padding: [[50000, 50000], [50000, 50000]] } }, conv('conv', 2, 3, 1), gap(), dense('out', 10, 2)]),
    message: "layer pad (pad) outputs 100028×100028×1 = 10005.6 million values per image; the limit is 4.2 million per activation tensor: use a smaller input size",
  },
  {
    id: 'input-4000', item: 4, use: 'model', target: 'model.json', page: true,
    files: () => layersModel('big', [4000, 4000, 1], [conv('conv', 8, 3, 1), gap(), dense('out', 10, 8)]),
    message: "the input conv_input outputs 4000×4000×1 = 16 million values per image; the limit is 4.2 million per activation tensor: use a smaller input size",
  },
  {
    id: 'input-100000', item: 4, use: 'model', target: 'model.json',
    files: () => layersModel('huge', [100000, 100000, 1], [conv('conv', 2, 3, 1), gap(), dense('out', 10, 2)]),
    message: "the input conv_input outputs 100000×100000×1 = 10000 million values per image; the limit is 4.2 million per activation tensor: use a smaller input size",
  },
  {
    id: 'input-negative', item: 4, use: 'model', target: 'model.json',
    files: () => layersModel('neg', [-28, 28, 1], [conv('conv', 2, 3, 1), gap(), dense('out', 10, 2)]),
    message: "input conv_input has shape [-28, 28, 1]; every dimension but the batch must be fixed",
  },
  {
    id: 'conv-0-filters', item: 4, use: 'model', target: 'model.json', page: true,
    files: () => layersModel('zero', [28, 28, 1], [conv('conv', 0, 3, 1), gap(), dense('out', 10, 0)]),
    message: "layer conv (Conv2D): filters is 0; it must be a whole number ≥ 1",
  },
  {
    id: 'dense-0-units', item: 4, use: 'model', target: 'model.json', page: true,
    files: () => layersModel('zero', [28, 28, 1], [flatten(), dense('hidden', 0, 784), dense('out', 10, 0)]),
    message: "layer hidden (Dense): units is 0; it must be a whole number ≥ 1",
  },
  {
    id: 'strides-0', item: 4, use: 'model', target: 'model.json', page: true,
    files: () => layersModel('s0', [28, 28, 1], [conv('conv', 2, 3, 1, { strides: [0, 0] }), gap(), dense('out', 10, 2)]),
    message: "layer conv (Conv2D): strides is [0,0]; it must be a whole number ≥ 1 in each dimension",
  },
  {
    id: 'pool-0', item: 4, use: 'model', target: 'model.json',
    files: () => layersModel('p0', [28, 28, 1], [conv('conv', 2, 3, 1), maxPool('pool', 0), gap(), dense('out', 10, 2)]),
    message: "layer pool (MaxPooling2D): strides is [0,0]; it must be a whole number ≥ 1 in each dimension",
  },
  ...['__proto__', 'hasOwnProperty', 'constructor', 'toString'].map((op): HostileCase => ({
    id: `onnx-op-${op.replace(/_/g, '')}`, item: 4, use: 'model', target: 'model.onnx', page: op === '__proto__',
    files: { 'model.onnx': onnxWith({ op, inputs: ['r'], outputs: ['y'], name: 'evil' }) },
    message: `ONNX node "evil" (op ${op}, opset 13) is not supported. Supported ops: ${SUPPORTED_OPS.join(', ')}.`,
  })),
  {
    id: 'onnx-init-1e10', item: 1, use: 'model', target: 'model.onnx', page: true,
    files: { 'model.onnx': onnxWith(undefined, { dims: [100000, 100000], data: [] }) },
    message: "ONNX initializer \"W\" declares 100000×100000 = 10000 million values; the limit is 67.1 million per tensor.",
  },
  {
    id: 'onnx-init-negative', item: 4, use: 'model', target: 'model.onnx',
    files: { 'model.onnx': onnxWith(undefined, { dims: [-3, 2, 3, 3], data: [] }) },
    message: "ONNX initializer \"W\" has shape -3×2×3×3: every size must be a whole number ≥ 0; the file is damaged.",
  },
  {
    id: 'h5-unwritten-30m', item: 1, use: 'model', target: 'model.h5', page: true,
    files: async (root) => ({ 'model.h5': await kerasH5(root, [30_000_000, 10]) }),
    message: "weight /model_weights/fc2/fc2/kernel:0 declares 30000000×10 = 300 million values; the limit is 67.1 million per tensor",
  },
  {
    id: 'h5-unwritten-1e10', item: 1, use: 'model', target: 'model.h5',
    files: async (root) => ({ 'model.h5': await kerasH5(root, [100_000, 100_000]) }),
    message: "weight /model_weights/fc2/fc2/kernel:0 declares 100000×100000 = 10000 million values; the limit is 67.1 million per tensor",
  },
  // ── 5. Silent nonsense ────────────────────────────────────────────────────────────────────
  {
    id: 'idx-0x0', item: 5, use: 'data', target: '', page: true,
    files: { 't10k-images-idx3-ubyte': idx([10, 0, 0]), 't10k-labels-idx1-ubyte': idx([10]) },
    message: "t10k-images-idx3-ubyte declares images of 0×0 pixels: an image needs at least one pixel (damaged or not an images file)",
  },
  {
    id: 'idx-28x0', item: 5, use: 'data', target: '', page: true,
    files: { 't10k-images-idx3-ubyte': idx([10, 28, 0]), 't10k-labels-idx1-ubyte': idx([10]) },
    message: "t10k-images-idx3-ubyte declares images of 28×0 pixels: an image needs at least one pixel (damaged or not an images file)",
  },
  {
    id: 'idx-labels-200', item: 5, use: 'data', target: '', page: true,
    files: { 't10k-images-idx3-ubyte': idx([10, 28, 28]), 't10k-labels-idx1-ubyte': idx([10], Uint8Array.from({ length: 10 }, (_, i) => 200 + i)) },
    message: "the data set has 210 classes but the model has 10 outputs: the data does not match the model (one class per output)",
  },
  {
    id: 'classes-15-for-10-outputs', item: 5, use: 'data', target: 'digits', page: true,
    files: Object.fromEntries(Array.from({ length: 15 }, (_, k) => [`digits/c${String(k).padStart(2, '0')}/a.png`, png(28, 28)])),
    message: "the data set has 15 classes but the model has 10 outputs: the data does not match the model (one class per output)",
  },
  {
    id: 'one-class-folder', item: 5, use: 'data', target: 'digits',
    files: { 'digits/7/a.png': png(28, 28), 'digits/7/b.png': png(28, 28), 'digits/7/c.png': png(28, 28) },
    message: "digits holds only one class folder (7); a labelled data set needs one sub-folder per class. For unlabeled images, put them directly in the folder you give",
  },
  {
    id: 'labels-txt-duplicate', item: 5, use: 'data', target: 'digits', page: true,
    files: classFolders({ 'digits/labels.txt': strToU8('0\n1\n1\n') }),
    message: "digits/labels.txt lists the class 1 twice; every class needs one line of its own",
  },
  {
    id: 'budget-empty', item: 5, use: 'none', command: 'quantize', args: ['--budget=', '--out', '{dir}/out'],
    message: "--budget got \"\", which is not a valid value",
  },
  {
    id: 'mean-3-on-grey', item: 5, use: 'none', args: ['--mean', '0.1,0.2,0.3'],
    message: "mean has 3 values but the model takes grey (1-channel) images: give 1",
  },
  // ── 8. Names echoed to the terminal ───────────────────────────────────────────────────────
  {
    id: 'layer-name-newline-escape', item: 8, use: 'model', target: 'model.json', page: true,
    files: () => layersModel('evil', [28, 28, 1], [conv('bad\nname\u001b[31m', 0, 3, 1), gap(), dense('out', 10, 0)]),
    message: "layer bad\\nname\\x1b[31m (Conv2D): filters is 0; it must be a whole number ≥ 1",
  },
];
