// One C function per node, with the node's geometry as constants and its parameters as static
// const arrays. Loops run in the reference's output order; integer sums are exact, so the order
// of the taps does not matter.
import type { NodeFormats } from '../../core/config.ts';
import type { Format } from '../../core/format.ts';
import type { Activation, AddNode, AffineNode, ConcatNode, Conv2DNode, DenseNode, DepthwiseConv2DNode, GraphNode, PadNode, PoolNode, Shape3 } from '../../core/graph.ts';
import { reluCeilQ, slopeQ } from '../../core/quantize.ts';
import { ExportError } from '../files.ts';
import { quantizeParam } from '../params.ts';
import type { Val } from './arith.ts';
import { emitActivation, emitRequantStore, needArith, termExpr } from './arith.ts';
import { convWeightsOHWI, denseWeightsOI, depthwiseWeightsOHW } from './arrays.ts';
import type { ArithType, StorageType } from './ctype.ts';
import { absBig, formatBounds, maxBig, wider } from './ctype.ts';
import type { Helpers } from './helpers.ts';
import type { StoredParam } from './storage.ts';
import { BYTES, rowPointer, storeParam } from './storage.ts';

export interface KernelInput {
  type: StorageType;
  format: Format;
  shape: Shape3;
}

export interface KernelSpec {
  node: GraphNode;
  /** Sanitised identifier: arrays w_<id>, b_<id>, s_<id>, t_<id>, function layer_<id>. */
  id: string;
  /** Macro prefix of the node, FXP_<MODEL>_<ID>. */
  macro: string;
  inputs: KernelInput[];
  outType: StorageType;
  outFormat: Format;
  formats: NodeFormats;
}

export interface KernelCode {
  defines: string[];
  /** The node's parameter arrays, packed or plain. */
  params: StoredParam[];
  /** Bytes of the stack buffer the layer function unpacks weights into (0 when none). */
  unpackBytes: number;
  fn: string;
  /** Arithmetic widths the node uses, for the file's summary comment and tests. */
  arith: Set<ArithType>;
}

const signedDef = (v: number) => (v < 0 ? `(${v})` : `${v}`);

/** `a * ka + b * kb + c` with unit factors and zero terms left out. */
function lin(terms: Array<[string, number]>, constant: number): string {
  const parts: string[] = [];
  for (const [v, k] of terms) if (k !== 0) parts.push(k === 1 ? v : `${v} * ${k}`);
  let s = parts.join(' + ') || '0';
  if (constant > 0) s += ` + ${constant}`;
  if (constant < 0) s += ` - ${-constant}`;
  return s;
}

const indent = (lines: string[], n: number) => lines.map((l) => (l === '' ? l : ' '.repeat(4 * n) + l));

function signature(k: KernelSpec): string {
  const ins = k.inputs.map((t, i) => `const ${t.type} *in${k.inputs.length > 1 ? i : ''}`);
  return `static void layer_${k.id}(${ins.join(', ')}, ${k.outType} *out)`;
}

function describe(k: KernelSpec): string {
  const n = k.node;
  const [h, w, c] = n.shape;
  const act = 'activation' in n ? describeAct(n.activation) : '';
  const ins = k.inputs.map((t) => t.shape.join('x')).join(' + ');
  return `${k.id}: ${n.kind}, ${ins} -> ${h}x${w}x${c}${act}`;
}

function describeAct(a: Activation): string {
  if (a.type === 'relu') return a.max === undefined || !Number.isFinite(a.max) ? ', relu' : ', relu with ceiling';
  if (a.type === 'leakyRelu') return ', leaky relu';
  return '';
}

const fmt = (f: Format) => `Q${f.signed ? '' : 'u'}(${f.bits},${f.frac})`;

interface TailInput {
  k: KernelSpec;
  h: Helpers;
  defines: string[];
  arith: Set<ArithType>;
  accType: ArithType;
  /** Per output channel, the bound of the accumulator before the bias is added. */
  sumBound: bigint[];
  F: number;
  activation: Activation;
  bias: { q: ArrayLike<number>; format: Format; store: StoredParam } | null;
  epilogue: { qs: ArrayLike<number>; qt: ArrayLike<number>; fs: Format; ft: Format; scale: StoredParam; shift: StoredParam } | null;
  ch: string;
  dest: string;
  /** Where per-channel constants go when the channel is an outer loop (read once, not per pixel). */
  hoist?: string[];
}

/**
 * The accumulator's type and bound after adding the bias: chosen before the accumulation loop
 * is written, since partial sums live in the same variable.
 */
function accPlan(sumBound: bigint[], bias: { q: ArrayLike<number>; format: Format } | null, F: number, what: string): { type: ArithType; terms: bigint[] } {
  const terms = bias ? Array.from(bias.q, (v) => {
    const s = bias.format.frac - F;
    return s > 0 ? (BigInt(v) + (1n << BigInt(s - 1))) >> BigInt(s) : BigInt(v) << BigInt(-s);
  }) : sumBound.map(() => 0n);
  const bound = maxBig(sumBound.map((b, o) => b + absBig(terms[o])));
  return { type: needArith(bound, what), terms };
}

/** Bias, activation, epilogue and requantization of one output value held in `acc`. */
function emitTail(p: TailInput): string[] {
  const { k, h, defines } = p;
  const M = k.macro;
  const L: string[] = [];
  const what = `layer ${k.node.name}`;
  const lift = (name: string, type: ArithType, expr: string) => {
    if (!p.hoist) return expr;
    p.hoist.push(`const ${type} ${name} = ${expr};`);
    return name;
  };
  let perCh = p.sumBound.slice();
  if (p.bias) {
    const s = p.bias.format.frac - p.F;
    defines.push(`#define ${M}_BIAS_SHIFT ${signedDef(s)} /* shiftRound(bias, BIAS_SHIFT) aligns the bias to ACC_FRAC */`);
    const t = termExpr(p.bias.store.at(p.ch), p.bias.store.exprType, p.bias.q, s, `${M}_BIAS_SHIFT`, p.accType, h, `${what}: the aligned bias`);
    if (t.expr) L.push(`acc += ${lift('bias_o', p.accType, t.expr)};`);
    perCh = perCh.map((b, o) => b + absBig(t.terms[o]));
  }
  const acc: Val = { name: 'acc', type: p.accType, bound: maxBig(perCh) };
  p.arith.add(p.accType);
  emitActivation(L, acc, p.activation, p.F, M, defines, h);
  const ceil = p.activation.type === 'relu' ? reluCeilQ(p.activation, p.F) : null;
  if (ceil !== null) perCh = perCh.map((b) => (ceil < b ? ceil : b));
  acc.bound = maxBig(perCh);
  let v = acc;
  let shift = p.F - k.outFormat.frac;
  if (p.epilogue) {
    const e = p.epilogue;
    const S = p.F + e.fs.frac;
    const ts = e.ft.frac - S;
    defines.push(`#define ${M}_EPI_FRAC ${signedDef(S)} /* ACC_FRAC + epilogue scale frac */`);
    defines.push(`#define ${M}_EPI_SHIFT ${signedDef(ts)} /* shiftRound(shift, EPI_SHIFT) aligns the epilogue shift to EPI_FRAC */`);
    const terms = Array.from(e.qt, (q) => (ts > 0 ? (BigInt(q) + (1n << BigInt(ts - 1))) >> BigInt(ts) : BigInt(q) << BigInt(-ts)));
    const eBound = maxBig(perCh.map((b, o) => b * absBig(BigInt(e.qs[o])) + absBig(terms[o])));
    const et = wider(p.accType, needArith(eBound, `${what}: the epilogue`));
    p.arith.add(et);
    const t = termExpr(e.shift.at(p.ch), e.shift.exprType, e.qt, ts, `${M}_EPI_SHIFT`, et, h, `${what}: the aligned epilogue shift`);
    const accE = et === p.accType ? 'acc' : `(${et})acc`;
    L.push(`${et} e = ${accE} * ${lift('scale_o', et, `(${et})${e.scale.at(p.ch)}`)}${t.expr ? ` + ${lift('shift_o', et, t.expr)}` : ''};`);
    v = { name: 'e', type: et, bound: eBound };
    shift = S - k.outFormat.frac;
  }
  defines.push(`#define ${M}_OUT_SHIFT ${signedDef(shift)} /* output = sat(shiftRound(value, OUT_SHIFT)) */`);
  emitRequantStore(L, v, shift, `${M}_OUT_SHIFT`, k.outFormat, p.dest, h);
  return L;
}

/** Values of a packed dense row unpacked at a time: bounds the stack buffer on wide inputs. */
const DENSE_CHUNK = 512;

/**
 * conv2d, depthwise and dense: exact sum of products, then the tail. The output channel is the
 * outer loop, so a packed row of weights is unpacked once per image and reused at every pixel.
 */
function convLike(k: KernelSpec, h: Helpers): KernelCode {
  const n = k.node as Conv2DNode | DepthwiseConv2DNode | DenseNode;
  const f = k.formats;
  const inp = k.inputs[0];
  const fw = f.weights!;
  const M = k.macro;
  const F = inp.format.frac + fw.frac;
  const qRaw = quantizeParam(n.kernel, fw);
  const q = n.kind === 'conv2d' ? convWeightsOHWI(qRaw, n.kernelShape) : n.kind === 'dense' ? denseWeightsOI(qRaw, n.kernelShape) : depthwiseWeightsOHW(qRaw, n.kernelShape);
  const cout = n.shape[2];
  const K = q.length / cout;
  const inMax = formatBounds(inp.format).maxAbs;
  const sumBound: bigint[] = [];
  for (let o = 0; o < cout; o++) {
    let s = 0;
    for (let i = 0; i < K; i++) s += Math.abs(q[o * K + i]);
    sumBound.push(BigInt(s) * inMax);
  }
  const layout = n.kind === 'conv2d' ? '[out channel][kh][kw][in channel]' : n.kind === 'dense' ? '[out][in]' : '[out channel][kh][kw]';
  const W = storeParam(`w_${k.id}`, q, fw, `${k.id} weights ${fmt(fw)}, ${layout}`, `${M}_W_BITS`, h);
  const wt = W.valueType;
  const params = [W];
  let bias: TailInput['bias'] = null;
  if (n.bias) {
    const bq = quantizeParam(n.bias, f.bias!);
    bias = { q: bq, format: f.bias!, store: storeParam(`b_${k.id}`, bq, f.bias!, `${k.id} bias ${fmt(f.bias!)}`, `${M}_B_BITS`, h) };
    params.push(bias.store);
  }
  let epi: TailInput['epilogue'] = null;
  if (n.epilogue) {
    const qs = quantizeParam(n.epilogue.scale, f.scale!);
    const qt = quantizeParam(n.epilogue.shift, f.shift!);
    epi = {
      qs, qt, fs: f.scale!, ft: f.shift!,
      scale: storeParam(`s_${k.id}`, qs, f.scale!, `${k.id} epilogue scale ${fmt(f.scale!)}`, `${M}_S_BITS`, h),
      shift: storeParam(`t_${k.id}`, qt, f.shift!, `${k.id} epilogue shift ${fmt(f.shift!)}`, `${M}_T_BITS`, h),
    };
    params.push(epi.scale, epi.shift);
  }
  const plan = accPlan(sumBound, bias, F, `layer ${n.name}: the accumulator`);
  const T = plan.type;
  const defines = [`/* ${describe(k)} */`, `#define ${M}_ACC_FRAC ${signedDef(F)} /* input frac ${inp.format.frac} + weight frac ${fw.frac} */`];
  const arith = new Set<ArithType>([T]);
  const mac = (x: string, w: string) => `acc += (${T})${x} * (${T})${w};`;
  let unpack = 0;
  const rowBuffer = (count: number) => {
    unpack = count * BYTES[wt];
    return [`${wt} wrow[${count}]; /* weights unpacked from w_${k.id}, ${count * BYTES[wt]} bytes of stack */`];
  };
  let body: string[];
  if (n.kind === 'dense') {
    const [nIn, nOut] = n.kernelShape;
    const hoist: string[] = [];
    const tail = emitTail({ k, h, defines, arith, accType: T, sumBound, F, activation: n.activation, bias, epilogue: epi, ch: 'o', dest: 'out[o]', hoist });
    const chunk = Math.min(nIn, DENSE_CHUNK);
    if (!W.packed || chunk === nIn) {
      body = [
        ...(W.packed ? rowBuffer(nIn) : []),
        `for (int32_t o = 0; o < ${nOut}; ++o) {`,
        ...indent(rowPointer(W, 'w', `o * ${nIn}`, `${nIn}`, 'wrow'), 1),
        ...indent(hoist, 1),
        `    ${T} acc = 0;`,
        `    for (int32_t i = 0; i < ${nIn}; ++i) ${mac('in[i]', 'w[i]')}`,
        ...indent(tail, 1),
        `}`,
      ];
    } else {
      body = [
        ...rowBuffer(chunk),
        `for (int32_t o = 0; o < ${nOut}; ++o) {`,
        ...indent(hoist, 1),
        `    ${T} acc = 0;`,
        `    for (int32_t i0 = 0; i0 < ${nIn}; i0 += ${chunk}) {`,
        `        const int32_t n = ${nIn} - i0 < ${chunk} ? ${nIn} - i0 : ${chunk};`,
        ...indent(rowPointer(W, 'w', `o * ${nIn} + i0`, 'n', 'wrow'), 2),
        `        for (int32_t i = 0; i < n; ++i) ${mac('in[i0 + i]', 'w[i]')}`,
        `    }`,
        ...indent(tail, 1),
        `}`,
      ];
    }
  } else {
    const [ih, iw, cin] = inp.shape;
    const [oh, ow] = n.shape;
    const [kh, kw, , km] = n.kernelShape;
    const [sh, sw] = n.strides;
    const [dh, dw] = n.dilation;
    const [pt, pl] = n.pads;
    const checkY = -pt < 0 || (oh - 1) * sh - pt + (kh - 1) * dh >= ih;
    const checkX = -pl < 0 || (ow - 1) * sw - pl + (kw - 1) * dw >= iw;
    const hoist: string[] = [];
    const tail = emitTail({ k, h, defines, arith, accType: T, sumBound, F, activation: n.activation, bias, epilogue: epi, ch: 'o', dest: `out[(oy * ${ow} + ox) * ${cout} + o]`, hoist });
    const depthwise = n.kind === 'depthwiseConv2d';
    const inner = depthwise
      ? [mac(`in[(iy * ${iw} + ix) * ${cin} + c]`, `wo[${lin([['ky', kw]], 0)} + kx]`)]
      : [
        `const ${inp.type} *x = in + (iy * ${iw} + ix) * ${cin};`,
        `const ${wt} *w = wo + (${lin([['ky', kw]], 0)} + kx) * ${cin};`,
        `for (int32_t c = 0; c < ${cin}; ++c) ${mac('x[c]', 'w[c]')}`,
      ];
    body = [
      ...(W.packed ? rowBuffer(K) : []),
      `for (int32_t o = 0; o < ${cout}; ++o) {`,
      ...(depthwise ? [`    const int32_t c = ${km === 1 ? 'o' : `o / ${km}`};`] : []),
      ...indent(rowPointer(W, 'wo', `o * ${K}`, `${K}`, 'wrow'), 1),
      ...indent(hoist, 1),
      `    for (int32_t oy = 0; oy < ${oh}; ++oy) {`,
      `        for (int32_t ox = 0; ox < ${ow}; ++ox) {`,
      `            ${T} acc = 0;`,
      `            for (int32_t ky = 0; ky < ${kh}; ++ky) {`,
      `                const int32_t iy = ${lin([['oy', sh], ['ky', dh]], -pt)};`,
      ...(checkY ? [`                if (iy < 0 || iy >= ${ih}) continue;`] : []),
      `                for (int32_t kx = 0; kx < ${kw}; ++kx) {`,
      `                    const int32_t ix = ${lin([['ox', sw], ['kx', dw]], -pl)};`,
      ...(checkX ? [`                    if (ix < 0 || ix >= ${iw}) continue;`] : []),
      ...indent(inner, 5),
      `                }`,
      `            }`,
      ...indent(tail, 3),
      `        }`,
      `    }`,
      `}`,
    ];
  }
  return { defines, params, unpackBytes: unpack, fn: [signature(k), '{', ...indent(body, 1), '}'].join('\n'), arith };
}

function affine(k: KernelSpec, h: Helpers): KernelCode {
  const n = k.node as AffineNode;
  const f = k.formats;
  const inp = k.inputs[0];
  const M = k.macro;
  const F = inp.format.frac + f.weights!.frac;
  const qs = quantizeParam(n.scale, f.weights!);
  const bq = quantizeParam(n.shift, f.bias!);
  const W = storeParam(`w_${k.id}`, qs, f.weights!, `${k.id} scale ${fmt(f.weights!)}, per channel`, `${M}_W_BITS`, h);
  const bias = { q: bq, format: f.bias!, store: storeParam(`b_${k.id}`, bq, f.bias!, `${k.id} shift ${fmt(f.bias!)}, per channel`, `${M}_B_BITS`, h) };
  const inMax = formatBounds(inp.format).maxAbs;
  const sumBound = Array.from(qs, (s) => absBig(BigInt(s)) * inMax);
  const T = accPlan(sumBound, bias, F, `layer ${n.name}: the product`).type;
  const [h0, w0, c] = n.shape;
  const defines = [`/* ${describe(k)} */`, `#define ${M}_ACC_FRAC ${signedDef(F)} /* input frac ${inp.format.frac} + scale frac ${f.weights!.frac} */`];
  const arith = new Set<ArithType>([T]);
  const tail = emitTail({ k, h, defines, arith, accType: T, sumBound, F, activation: n.activation, bias, epilogue: null, ch: 'c', dest: `out[p * ${c} + c]` });
  const body = [
    `for (int32_t p = 0; p < ${h0 * w0}; ++p) {`,
    `    for (int32_t c = 0; c < ${c}; ++c) {`,
    `        ${T} acc = (${T})in[p * ${c} + c] * (${T})${W.at('c')};`,
    ...indent(tail, 2),
    `    }`,
    `}`,
  ];
  return { defines, params: [W, bias.store], unpackBytes: 0, fn: [signature(k), '{', ...indent(body, 1), '}'].join('\n'), arith };
}

function add(k: KernelSpec, h: Helpers): KernelCode {
  const n = k.node as AddNode;
  const M = k.macro;
  const F = Math.max(...k.inputs.map((t) => t.format.frac));
  const bound = k.inputs.reduce((s, t) => s + (formatBounds(t.format).maxAbs << BigInt(F - t.format.frac)), 0n);
  const T = needArith(bound, `layer ${n.name}: the aligned sum`);
  const defines = [`/* ${describe(k)} */`, `#define ${M}_ACC_FRAC ${signedDef(F)} /* the largest input frac */`];
  const terms = k.inputs.map((t, i) => {
    const a = F - t.format.frac;
    defines.push(`#define ${M}_IN${i}_ALIGN ${a} /* input ${i} is shifted left by IN${i}_ALIGN bits to ACC_FRAC */`);
    const x = `(${T})in${i}[i]`;
    return a === 0 ? x : `${h.use(T === 'int32_t' ? 'fxp_shl32' : 'fxp_shl64')}(${x}, ${M}_IN${i}_ALIGN)`;
  });
  const L: string[] = [`${T} acc = ${terms.join(' + ')};`];
  const acc: Val = { name: 'acc', type: T, bound };
  acc.bound = emitActivation(L, acc, n.activation, F, M, defines, h);
  const shift = F - k.outFormat.frac;
  defines.push(`#define ${M}_OUT_SHIFT ${signedDef(shift)} /* output = sat(shiftRound(sum, OUT_SHIFT)) */`);
  emitRequantStore(L, acc, shift, `${M}_OUT_SHIFT`, k.outFormat, 'out[i]', h);
  const body = [`for (int32_t i = 0; i < ${n.shape[0] * n.shape[1] * n.shape[2]}; ++i) {`, ...indent(L, 1), '}'];
  return { defines, params: [], unpackBytes: 0, fn: [signature(k), '{', ...indent(body, 1), '}'].join('\n'), arith: new Set([T]) };
}

function concat(k: KernelSpec, h: Helpers): KernelCode {
  const n = k.node as ConcatNode;
  const M = k.macro;
  const [oh, ow, c] = n.shape;
  const defines = [`/* ${describe(k)} */`];
  const arith = new Set<ArithType>();
  const body: string[] = [`for (int32_t p = 0; p < ${oh * ow}; ++p) {`];
  let offset = 0;
  k.inputs.forEach((t, i) => {
    const ck = t.shape[2];
    const s = t.format.frac - k.outFormat.frac;
    defines.push(`#define ${M}_IN${i}_SHIFT ${signedDef(s)} /* input ${i} requantized: sat(shiftRound(x, IN${i}_SHIFT)) */`);
    const bound = formatBounds(t.format).maxAbs;
    const T = needArith(bound, 'a concatenated value');
    arith.add(T);
    const L: string[] = [`const ${T} v = in${i}[p * ${ck} + j];`];
    emitRequantStore(L, { name: 'v', type: T, bound, nonNegative: !t.format.signed }, s, `${M}_IN${i}_SHIFT`, k.outFormat, `out[p * ${c} + ${lin([['j', 1]], offset)}]`, h);
    body.push(`    for (int32_t j = 0; j < ${ck}; ++j) {`, ...indent(L, 2), `    }`);
    offset += ck;
  });
  body.push('}');
  return { defines, params: [], unpackBytes: 0, fn: [signature(k), '{', ...indent(body, 1), '}'].join('\n'), arith };
}

function pool(k: KernelSpec, h: Helpers): KernelCode {
  const n = k.node as PoolNode;
  const inp = k.inputs[0];
  const [ih, iw, c] = inp.shape;
  const [oh, ow] = n.shape;
  const [ph, pw] = n.pool;
  const [sh, sw] = n.strides;
  const [pt, pl] = n.pads;
  const isMax = n.kind === 'maxPool';
  // Windows are clipped to the input (padding is not counted, like TensorFlow); a window with
  // no element at all gives 0, as in the reference.
  const clipY = -pt < 0 || (oh - 1) * sh - pt + ph > ih;
  const clipX = -pl < 0 || (ow - 1) * sw - pl + pw > iw;
  let empty = false;
  for (let oy = 0; oy < oh; oy++) if (Math.min(ih, oy * sh - pt + ph) <= Math.max(0, oy * sh - pt)) empty = true;
  for (let ox = 0; ox < ow; ox++) if (Math.min(iw, ox * sw - pl + pw) <= Math.max(0, ox * sw - pl)) empty = true;
  const inMax = formatBounds(inp.format).maxAbs;
  const window = BigInt(ph * pw);
  const T: ArithType = isMax ? needArith(inMax, 'a pooled value') : needArith(2n * inMax * window + window, `layer ${n.name}: the window sum`);
  const L: string[] = [];
  L.push(`int32_t y0 = ${lin([['oy', sh]], -pt)}, y1 = y0 + ${ph};`);
  if (clipY) L.push(`if (y0 < 0) y0 = 0;`, `if (y1 > ${ih}) y1 = ${ih};`);
  L.push(`int32_t x0 = ${lin([['ox', sw]], -pl)}, x1 = x0 + ${pw};`);
  if (clipX) L.push(`if (x0 < 0) x0 = 0;`, `if (x1 > ${iw}) x1 = ${iw};`);
  const dest = `out[(oy * ${ow} + ox) * ${c} + ch]`;
  const inner: string[] = [];
  if (empty) inner.push(`if (y0 >= y1 || x0 >= x1) {`, `    ${dest} = 0;`, `    continue;`, `}`);
  if (isMax) {
    inner.push(
      `${T} m = in[(y0 * ${iw} + x0) * ${c} + ch];`,
      `for (int32_t y = y0; y < y1; ++y) {`,
      `    for (int32_t x = x0; x < x1; ++x) {`,
      `        const ${T} v = in[(y * ${iw} + x) * ${c} + ch];`,
      `        if (v > m) m = v;`,
      `    }`,
      `}`,
      `${dest} = (${k.outType})m;`,
    );
  } else {
    const div = h.use(T === 'int32_t' ? 'fxp_fdiv32' : 'fxp_fdiv64');
    inner.push(
      `const ${T} count = (${T})(y1 - y0) * (x1 - x0);`,
      `${T} sum = 0;`,
      `for (int32_t y = y0; y < y1; ++y) {`,
      `    for (int32_t x = x0; x < x1; ++x) sum += in[(y * ${iw} + x) * ${c} + ch];`,
      `}`,
      `/* half-up division: floor((2 * sum + count) / (2 * count)) */`,
      `${dest} = (${k.outType})${div}(2 * sum + count, 2 * count);`,
    );
  }
  const body = [
    `for (int32_t oy = 0; oy < ${oh}; ++oy) {`,
    `    for (int32_t ox = 0; ox < ${ow}; ++ox) {`,
    ...indent(L, 2),
    `        for (int32_t ch = 0; ch < ${c}; ++ch) {`,
    ...indent(inner, 3),
    `        }`,
    `    }`,
    `}`,
  ];
  return { defines: [`/* ${describe(k)}, window ${ph}x${pw}, stride ${sh}x${sw} */`], params: [], unpackBytes: 0, fn: [signature(k), '{', ...indent(body, 1), '}'].join('\n'), arith: new Set([T]) };
}

function pad(k: KernelSpec): KernelCode {
  const n = k.node as PadNode;
  const [ih, iw, c] = k.inputs[0].shape;
  const [oh, ow] = n.shape;
  const [pt, pl] = n.pads;
  const body = [
    `for (int32_t y = 0; y < ${oh}; ++y) {`,
    `    for (int32_t x = 0; x < ${ow}; ++x) {`,
    `        const int32_t iy = ${lin([['y', 1]], -pt)}, ix = ${lin([['x', 1]], -pl)};`,
    `        ${k.outType} *d = out + (y * ${ow} + x) * ${c};`,
    `        if (iy < 0 || iy >= ${ih} || ix < 0 || ix >= ${iw}) {`,
    `            for (int32_t ch = 0; ch < ${c}; ++ch) d[ch] = 0;`,
    `        } else {`,
    `            const ${k.inputs[0].type} *s = in + (iy * ${iw} + ix) * ${c};`,
    `            for (int32_t ch = 0; ch < ${c}; ++ch) d[ch] = s[ch];`,
    `        }`,
    `    }`,
    `}`,
  ];
  return { defines: [`/* ${describe(k)}, zero padding */`], params: [], unpackBytes: 0, fn: [signature(k), '{', ...indent(body, 1), '}'].join('\n'), arith: new Set() };
}

/** A standalone activation: same format in and out (DESIGN.md §4). */
function activation(k: KernelSpec, h: Helpers): KernelCode {
  const n = k.node as Extract<GraphNode, { kind: 'activation' }>;
  const inp = k.inputs[0];
  const M = k.macro;
  const { maxAbs } = formatBounds(inp.format);
  const a = n.activation;
  const defines = [`/* ${describe(k)} */`];
  if (a.type === 'leakyRelu' && slopeQ(a.alpha) < 0 && inp.format.signed) {
    throw new ExportError(`layer ${n.name}: a leaky relu with a negative slope (${a.alpha}) can leave its input's format; the C export does not support it`);
  }
  const T = needArith(maxAbs * 32768n + 16384n, 'an activation');
  const L: string[] = [`${T} v = in[i];`];
  const v: Val = { name: 'v', type: T, bound: maxAbs };
  emitActivation(L, v, a, inp.format.frac, M, defines, h);
  L.push(`out[i] = (${k.outType})v;`);
  const body = [`for (int32_t i = 0; i < ${n.shape[0] * n.shape[1] * n.shape[2]}; ++i) {`, ...indent(L, 1), '}'];
  return { defines, params: [], unpackBytes: 0, fn: [signature(k), '{', ...indent(body, 1), '}'].join('\n'), arith: new Set([T]) };
}

export function emitKernel(k: KernelSpec, h: Helpers): KernelCode {
  switch (k.node.kind) {
    case 'conv2d':
    case 'depthwiseConv2d':
    case 'dense':
      return convLike(k, h);
    case 'affine':
      return affine(k, h);
    case 'add':
      return add(k, h);
    case 'concat':
      return concat(k, h);
    case 'maxPool':
    case 'avgPool':
      return pool(k, h);
    case 'pad':
      return pad(k);
    case 'activation':
      return activation(k, h);
    default:
      throw new Error(`no kernel for ${k.node.kind}`);
  }
}
