// Runs one prepared node on the first nb images of the batch buffers: picks the kernels for its
// op and path from the kernel table (SIMD or scalar, chosen once) and walks the row tiles.
import type { Graph, GraphNode } from '../core/graph.ts';
import { elementCount } from '../core/graph.ts';
import { formatRange } from '../core/format.ts';
import type { KernelExports } from './kernels.ts';
import type { KernelTable } from './kernel-table.ts';
import type { Layout } from './layout.ts';
import { convRunP, gemmDims, isDirectC1, roundUp } from './layout.ts';
import type { PreparedNode } from './prepare.ts';
import { activationCode } from './prepare.ts';

/** Tuning switches of the SIMD integer paths (all on by default; results are identical either way). */
export interface TuningOptions {
  /** Pad and narrow convolution inputs once before im2col. */
  narrowInputs?: boolean;
  /** Apply the fast epilogue inside the GEMM (gemm_i16_conv_epi, gemm_i8r_conv_epi, on windows or on the panel). */
  fuseEpilogue?: boolean;
  /** One-input-channel convolutions through conv_c1_i16 / conv_c1_f32 (no im2col). */
  directC1?: boolean;
  /** SIMD convolutions read their windows from the (padded, narrowed) input: gemm_f32_conv, gemm_i16_conv_epi, gemm_i8r_conv_epi; no im2col panel. */
  windowGemm?: boolean;
}

type IntParams = Extract<PreparedNode, { op: 'int-params' }>;

/**
 * What the next conv2d/dense run does with its accumulators (acc-cache.ts): restore them from
 * `data` instead of computing them, or compute and save them there. `base`: the batch's first
 * output row within the image set.
 */
export interface AccTask {
  restore: boolean;
  data: Uint8Array;
  base: number;
}

export class NodeRunner {
  private readonly narrowInputs: boolean;
  private readonly fuseEpilogue: boolean;
  private readonly directC1: boolean;
  private readonly windowGemm: boolean;
  /** Set by Engine.run for one exec of a float conv2d/dense node, then cleared. */
  acc: AccTask | null = null;

  constructor(
    private readonly g: Graph,
    private readonly L: Layout,
    private readonly k: KernelExports,
    /** Swapped by Engine when `simd` changes. */
    public t: KernelTable,
    tuning: TuningOptions,
  ) {
    this.narrowInputs = tuning.narrowInputs ?? true;
    this.fuseEpilogue = tuning.fuseEpilogue ?? true;
    this.directC1 = tuning.directC1 ?? true;
    this.windowGemm = tuning.windowGemm ?? true;
  }

  /** Runs node i under `prepared` (the whole configuration: inputs' domains matter). */
  exec(prepared: readonly PreparedNode[], i: number, nb: number): void {
    const { g, k, t, L } = this;
    const n = g.nodes[i];
    const p = prepared[i];
    const dst = L.buffer[i];
    const count = nb * elementCount(n.shape);
    const src = n.inputs.length ? L.buffer[n.inputs[0]] : 0;
    const floatSrc = (which: number, scratch: number): number => {
      const d = prepared[n.inputs[which]].out;
      const s = L.buffer[n.inputs[which]];
      if (d.kind === 'float') return s;
      t.dequantizeCols(s, 0, scratch, 0, 1, nb * elementCount(g.nodes[n.inputs[which]].shape), 2 ** -d.format.frac);
      return scratch;
    };
    switch (p.op) {
      case 'input':
        if (p.out.kind === 'fixed') {
          const [lo, hi] = formatRange(p.out.format);
          t.quantizeCols(L.staging, 0, dst, 0, 1, count, 2 ** p.out.format.frac, lo, hi);
        } else {
          k.copy_cols(L.staging, 0, dst, 0, 1, count);
        }
        return;
      case 'alias':
        return;
      case 'int-act':
        if (n.kind !== 'activation') break;
        t.actInt(src, dst, count, activationCode(n.activation), Number(p.maxQ), p.alpha);
        return;
      case 'int-pool':
        if (n.kind !== 'maxPool' && n.kind !== 'avgPool') break;
        this.pool(n, p.fast ? (n.kind === 'maxPool' ? t.maxpoolI32 : t.avgpoolI32) : (n.kind === 'maxPool' ? k.maxpool_i32_scalar : k.avgpool_i32_scalar), src, nb, dst);
        return;
      case 'int-concat':
        if (n.kind !== 'concat') break;
        this.concat(prepared, n, p, nb, dst);
        return;
      case 'int-add': {
        if (n.kind !== 'add') break;
        const [lo, hi] = formatRange(p.out.format);
        const act = activationCode(n.activation);
        if (n.inputs.length === 2) {
          const a = L.buffer[n.inputs[0]], b = L.buffer[n.inputs[1]];
          if (t.simdOnly && p.fast) t.simdOnly.add_int_fast(a, b, dst, count, p.shifts[0], p.shifts[1], act, Number(p.maxQ), p.alpha, p.S, lo, hi);
          else k.add_int(a, b, dst, count, p.shifts[0], p.shifts[1], act, p.maxQ, p.alpha, p.S, lo, hi);
        } else {
          for (let c0 = 0; c0 < count; c0 += L.c64Elems) {
            const len = Math.min(L.c64Elems, count - c0);
            n.inputs.forEach((q, j) => k.add_acc_i64(L.buffer[q] + c0 * 4, L.c64, len, p.shifts[j], j === 0 ? 1 : 0));
            k.act_requant_i64(L.c64, dst + c0 * 4, len, act, p.maxQ, p.alpha, p.S, lo, hi);
          }
        }
        return;
      }
      case 'int-params':
        if (n.kind === 'conv2d' || n.kind === 'dense') this.gemmInt(i, n, p, nb, src, dst);
        else if (n.kind === 'depthwiseConv2d') this.depthwiseInt(i, n, p, nb, src, dst);
        else if (n.kind === 'affine') this.affineInt(i, n, p, nb, src, dst);
        else break;
        return;
      case 'int':
      case 'float':
        switch (n.kind) {
          case 'pad': {
            const [H, W, C] = g.nodes[n.inputs[0]].shape;
            k.pad_copy(src, H, W, C, n.pads[0], n.pads[1], n.pads[2], n.pads[3], nb, dst);
            return;
          }
          case 'activation': {
            const a = n.activation;
            const maxV = a.type === 'relu' && a.max !== undefined && Number.isFinite(a.max) ? a.max : 0;
            t.actF32(src, dst, count, activationCode(a), maxV, a.type === 'leakyRelu' ? a.alpha : 0);
            return;
          }
          case 'maxPool':
          case 'avgPool':
            this.pool(n, n.kind === 'maxPool' ? t.maxpoolF32 : t.avgpoolF32, src, nb, dst);
            return;
          case 'concat':
            this.concat(prepared, n, p, nb, dst);
            this.quantizeOut(p, dst, count);
            return;
        }
        break;
      case 'float-add': {
        if (n.kind !== 'add') break;
        t.addF32(floatSrc(0, L.scratchA), floatSrc(1, L.scratchB), dst, count);
        for (let j = 2; j < n.inputs.length; j++) t.addF32(dst, floatSrc(j, L.scratchA), dst, count);
        if (p.epi.act !== 0) t.actF32(dst, dst, count, p.epi.act, p.epi.maxV, p.epi.alpha);
        this.quantizeOut(p, dst, count);
        return;
      }
      case 'float-params': {
        if (n.kind === 'conv2d' || n.kind === 'dense') this.gemmFloat(i, n, nb, () => floatSrc(0, L.scratchA), dst);
        else if (n.kind === 'depthwiseConv2d') this.depthwiseFloat(i, n, nb, floatSrc(0, L.scratchA), dst);
        else if (n.kind === 'affine') this.affineFloat(i, n, nb, floatSrc(0, L.scratchA), dst);
        else break;
        this.quantizeOut(p, dst, count);
        return;
      }
    }
    throw new Error(`node ${i} (${n.name}): a ${n.kind} node cannot run as '${p.op}'`);
  }

  /** A float-computed node with a fixed output format: quantize in place. */
  private quantizeOut(p: PreparedNode, dst: number, count: number): void {
    if (p.out.kind !== 'fixed') return;
    const [lo, hi] = formatRange(p.out.format);
    this.t.quantizeCols(dst, 0, dst, 0, 1, count, 2 ** p.out.format.frac, lo, hi);
  }

  private pool(n: Extract<GraphNode, { kind: 'maxPool' | 'avgPool' }>, fn: KernelExports['maxpool_f32'], src: number, nb: number, dst: number): void {
    const [H, W, C] = this.g.nodes[n.inputs[0]].shape;
    const [OH, OW] = n.shape;
    fn(src, H, W, C, n.pool[0], n.pool[1], n.strides[0], n.strides[1], n.pads[0], n.pads[1], OH, OW, nb, dst);
  }

  private concat(prepared: readonly PreparedNode[], n: Extract<GraphNode, { kind: 'concat' }>, p: PreparedNode, nb: number, dst: number): void {
    const { g, t, k, L } = this;
    const [H, W, C] = n.shape;
    const rows = nb * H * W;
    let off = 0;
    n.inputs.forEach((q, j) => {
      const Cj = g.nodes[q].shape[2];
      const s = L.buffer[q];
      const d = prepared[q].out;
      if (p.op === 'int-concat') {
        const [lo, hi] = formatRange(p.out.format);
        t.requantCols(s, Cj, dst + off * 4, C, rows, Cj, p.shifts[j], lo, hi);
      } else if (d.kind === 'fixed') {
        t.dequantizeCols(s, Cj, dst + off * 4, C, rows, Cj, 2 ** -d.format.frac);
      } else {
        k.copy_cols(s, Cj, dst + off * 4, C, rows, Cj);
      }
      off += Cj;
    });
  }

  private intEpilogue(p: IntParams, blk: number, is64: boolean, ldc: number, rows: number, N: number, dst: number): void {
    const fast = this.t.simdOnly;
    if (!is64 && fast && p.epi.fast) fast.epi_int_fast(blk, this.L.c32, ldc, rows, N, dst, N);
    else this.k.epi_int(blk, is64 ? this.L.c64 : this.L.c32, is64 ? 1 : 0, ldc, rows, N, dst, N);
  }

  private affineInt(i: number, n: Extract<GraphNode, { kind: 'affine' }>, p: IntParams, nb: number, src: number, dst: number): void {
    const { k, t, L } = this;
    const [H, W, C] = n.shape;
    const region = L.params[i]!;
    const M = nb * H * W;
    const MT = L.tileRows[i];
    const is64 = p.path === 'i64';
    for (let r0 = 0; r0 < M; r0 += MT) {
      const rows = Math.min(MT, M - r0);
      if (is64) k.affine_mul_i64(src + r0 * C * 4, region.wInt, L.c64, rows, C);
      else t.affineMulI32(src + r0 * C * 4, region.wInt, L.c32, rows, C);
      this.intEpilogue(p, region.blkInt, is64, C, rows, C, dst + r0 * C * 4);
    }
  }

  private affineFloat(i: number, n: Extract<GraphNode, { kind: 'affine' }>, nb: number, s: number, dst: number): void {
    const { t, L } = this;
    const [H, W, C] = n.shape;
    const region = L.params[i]!;
    const M = nb * H * W;
    const MT = L.tileRows[i];
    for (let r0 = 0; r0 < M; r0 += MT) {
      const rows = Math.min(MT, M - r0);
      t.affineMulF32(s + r0 * C * 4, region.wF32, L.c32, rows, C);
      t.epiF32(region.blkF, L.c32, C, rows, C, dst + r0 * C * 4, C);
    }
  }

  private depthwiseGeometry(n: Extract<GraphNode, { kind: 'depthwiseConv2d' }>) {
    const [H, W, C] = this.g.nodes[n.inputs[0]].shape;
    const [OH, OW] = n.shape;
    const [kh, kw, , mult] = n.kernelShape;
    return [H, W, C, kh, kw, n.strides[0], n.strides[1], n.dilation[0], n.dilation[1], n.pads[0], n.pads[1], OH, OW, mult] as const;
  }

  private depthwiseInt(i: number, n: Extract<GraphNode, { kind: 'depthwiseConv2d' }>, p: IntParams, nb: number, src: number, dst: number): void {
    const { k, t, L } = this;
    const [OH, OW, Co] = n.shape;
    const region = L.params[i]!;
    const M = nb * OH * OW;
    const MT = L.tileRows[i];
    const geo = this.depthwiseGeometry(n);
    const is64 = p.path === 'i64';
    for (let r0 = 0; r0 < M; r0 += MT) {
      const rows = Math.min(MT, M - r0);
      if (is64) k.dw_i64(src, ...geo, r0, rows, region.wInt, L.c64, region.Np);
      else t.dwI32(src, ...geo, r0, rows, region.wInt, L.c32, region.Np);
      this.intEpilogue(p, region.blkInt, is64, region.Np, rows, Co, dst + r0 * Co * 4);
    }
  }

  private depthwiseFloat(i: number, n: Extract<GraphNode, { kind: 'depthwiseConv2d' }>, nb: number, s: number, dst: number): void {
    const { t, L } = this;
    const [OH, OW, Co] = n.shape;
    const region = L.params[i]!;
    const M = nb * OH * OW;
    const MT = L.tileRows[i];
    const geo = this.depthwiseGeometry(n);
    for (let r0 = 0; r0 < M; r0 += MT) {
      const rows = Math.min(MT, M - r0);
      t.dwF32(s, ...geo, r0, rows, region.wF32, L.c32, region.Np);
      t.epiF32(region.blkF, L.c32, region.Np, rows, Co, dst + r0 * Co * 4, Co);
    }
  }

  /** conv2d / dense as an im2col panel times a weight matrix (a dense node is a 1×1 "image"). */
  private gemmGeometry(n: Extract<GraphNode, { kind: 'conv2d' | 'dense' }>) {
    const { K } = gemmDims(this.g, n)!;
    if (n.kind === 'dense') return { H: 1, W: 1, C: K, kh: 1, kw: 1, sh: 1, sw: 1, dh: 1, dw: 1, OH: 1, OW: 1, pads: [0, 0, 0, 0] };
    const [H, W, C] = this.g.nodes[n.inputs[0]].shape;
    const [kh, kw] = n.kernelShape;
    const [OH, OW] = n.shape;
    return { H, W, C, kh, kw, sh: n.strides[0], sw: n.strides[1], dh: n.dilation[0], dw: n.dilation[1], OH, OW, pads: n.pads };
  }

  private gemmInt(i: number, n: Extract<GraphNode, { kind: 'conv2d' | 'dense' }>, p: IntParams, nb: number, src: number, dst: number): void {
    const { k, t, L } = this;
    const fast = t.simdOnly;
    const region = L.params[i]!;
    const { N, Kp, Np } = gemmDims(this.g, n)!;
    const { H, W, C, kh, kw, sh, sw, dh, dw, OH, OW, pads } = this.gemmGeometry(n);
    const M = nb * OH * OW;
    const MT = L.tileRows[i];
    const panel = L.panel;
    const path = p.path;
    const acc = this.acc;
    const is64 = path !== 'i8-relaxed' && path !== 'i16';
    if (acc?.restore) {
      // The exact sums of these images under the same inputs and weights: the epilogue alone.
      for (let r0 = 0; r0 < M; r0 += MT) {
        const rows = Math.min(MT, M - r0);
        this.restoreAcc(acc, is64 ? L.c64 : L.c32, r0, rows, Np * (is64 ? 8 : 4));
        this.intEpilogue(p, region.blkInt, is64, Np, rows, N, dst + r0 * N * 4);
      }
      return;
    }
    if (!acc && fast && this.directC1 && path === 'i16' && p.epi.fast && region.wAux) {
      fast.pad_pairs_i16(src, H, W, pads[0], pads[1], pads[2], pads[3], nb, L.padScratch);
      fast.conv_c1_i16(L.padScratch, H + pads[0] + pads[2], W + pads[1] + pads[3], kh, kw, OH, OW, nb, region.wAux, Np, N, region.blkInt, dst);
      return;
    }
    // SIMD with a window of several taps: pad and narrow the input once (assembly/im2col.ts).
    const narrowed = fast && this.narrowInputs && kh * kw > 1 && path !== 'i64' ? fast : null;
    const Hn = H + pads[0] + pads[2], Wn = W + pads[1] + pads[3];
    if (narrowed && path === 'i8-relaxed') narrowed.narrow_pad_i8(src, H, W, C, pads[0], pads[1], pads[2], pads[3], nb, L.padScratch, p.relaxedOffset);
    else if (narrowed) narrowed.narrow_pad_i16(src, H, W, C, pads[0], pads[1], pads[2], pads[3], nb, L.padScratch);
    const { x, Hp, Wp, pt, pl } = narrowed ? { x: 0, Hp: Hn, Wp: Wn, pt: 0, pl: 0 } : this.padInput(src, H, W, C, pads, nb);
    // Saving the sums needs them in c32/c64: no fused epilogue then.
    const fused = fast && this.fuseEpilogue && p.epi.fast && !acc ? fast : null;
    const runP = narrowed && fused && this.windowGemm && region.wConv ? convRunP(n, path === 'i16' ? 8 : 16) : 0;
    if (runP && (path === 'i16' || path === 'i8-relaxed')) {
      const gemm = path === 'i16' ? fused!.gemm_i16_conv_epi : fused!.gemm_i8r_conv_epi;
      for (let r0 = 0; r0 < M; r0 += MT) {
        const rows = Math.min(MT, M - r0);
        gemm(L.padScratch, Hn, Wn, C, kh, sh, sw, dh, OH, OW, r0, rows, runP, region.wConv, region.blkInt, dst + r0 * N * 4, N);
      }
      return;
    }
    for (let r0 = 0; r0 < M; r0 += MT) {
      const rows = Math.min(MT, M - r0);
      const rowsPad = roundUp(rows, 4);
      const out = dst + r0 * N * 4;
      if (path === 'i8-relaxed') {
        if (narrowed) narrowed.im2col_i8n(L.padScratch, Hn, Wn, C, kh, kw, sh, sw, dh, dw, OH, OW, r0, rows, rowsPad, panel, Kp);
        else t.im2colI8(x, Hp, Wp, C, kh, kw, sh, sw, dh, dw, pt, pl, OH, OW, r0, rows, rowsPad, panel, Kp, p.relaxedOffset);
        if (fused) {
          fused.gemm_i8r_conv_epi(panel, 1, rows, Kp, 1, 1, 1, 1, 1, rows, 0, rows, Kp, region.wInt, region.blkInt, out, N);
          continue;
        }
        t.gemmI8(panel, Kp, region.wInt, Kp, L.c32, Np, rowsPad, Np, 0, Kp);
      } else if (path === 'i16' || path === 'i16-sliced' || path === 'i16-split') {
        if (narrowed) narrowed.im2col_i16n(L.padScratch, Hn, Wn, C, kh, kw, sh, sw, dh, dw, OH, OW, r0, rows, rowsPad, panel, Kp);
        else t.im2colI16(x, Hp, Wp, C, kh, kw, sh, sw, dh, dw, pt, pl, OH, OW, r0, rows, rowsPad, panel, Kp, 0);
        if (path === 'i16' && fused) {
          fused.gemm_i16_conv_epi(panel, 1, rows, Kp, 1, 1, 1, 1, 1, rows, 0, rows, Kp, region.wInt, region.blkInt, out, N);
          continue;
        }
        if (path === 'i16') t.gemmI16(panel, Kp, region.wInt, Kp, L.c32, Np, rowsPad, Np, 0, Kp);
        else if (path === 'i16-split') {
          const N2 = roundUp(2 * N, 4);
          for (let k0 = 0; k0 < Kp; k0 += p.sliceK) {
            t.gemmI16(panel, Kp, region.wInt, Kp, L.c32, N2, rowsPad, N2, k0, Math.min(p.sliceK, Kp - k0));
            k.accumulate_split_i64(L.c32, N2, L.c64, Np, rows, N, k0 === 0 ? 1 : 0);
          }
        } else {
          for (let k0 = 0; k0 < Kp; k0 += p.sliceK) {
            t.gemmI16(panel, Kp, region.wInt, Kp, L.c32, Np, rowsPad, Np, k0, Math.min(p.sliceK, Kp - k0));
            k.accumulate_i64(L.c32, L.c64, Np, rows, N, k0 === 0 ? 1 : 0);
          }
        }
      } else {
        t.im2colX32(x, Hp, Wp, C, kh, kw, sh, sw, dh, dw, pt, pl, OH, OW, r0, rows, rowsPad, panel, Kp);
        t.gemmI64(panel, Kp, region.wInt, Kp, L.c64, Np, rowsPad, Np, 0, Kp);
      }
      if (acc) this.saveAcc(acc, is64 ? L.c64 : L.c32, r0, rows, Np * (is64 ? 8 : 4));
      this.intEpilogue(p, region.blkInt, is64, Np, rows, N, out);
    }
  }

  private gemmFloat(i: number, n: Extract<GraphNode, { kind: 'conv2d' | 'dense' }>, nb: number, input: () => number, dst: number): void {
    const { t, L } = this;
    const region = L.params[i]!;
    const { K, N, Np } = gemmDims(this.g, n)!;
    const { H, W, C, kh, kw, sh, sw, dh, dw, OH, OW, pads } = this.gemmGeometry(n);
    const M = nb * OH * OW;
    const MT = L.tileRows[i];
    const acc = this.acc;
    if (acc?.restore) {
      // The sums of these images under the same inputs and weights: the epilogue alone.
      for (let r0 = 0; r0 < M; r0 += MT) {
        const rows = Math.min(MT, M - r0);
        this.restoreAcc(acc, L.c32, r0, rows, Np * 4);
        t.epiF32(region.blkF, L.c32, Np, rows, N, dst + r0 * N * 4, N);
      }
      return;
    }
    if (!acc && t.simdOnly && this.directC1 && isDirectC1(n)) {
      const { x, Hp, Wp } = this.padInput(input(), H, W, C, pads, nb);
      t.simdOnly.conv_c1_f32(x, Hp, Wp, kh, kw, OH, OW, nb, region.wF32, Np, N, region.blkF, dst);
      return;
    }
    const padded = pads.some((v) => v > 0);
    const direct = kh === 1 && kw === 1 && sh === 1 && sw === 1 && !padded && OH === H && OW === W;
    const { x, Hp, Wp, pt, pl } = this.padInput(input(), H, W, C, pads, nb);
    // SIMD convolutions read their windows from the padded input: no im2col panel.
    const windowed = t.simdOnly && this.windowGemm && n.kind === 'conv2d' && dw === 1 && !direct ? t.simdOnly : null;
    for (let r0 = 0; r0 < M; r0 += MT) {
      const rows = Math.min(MT, M - r0);
      const rowsPad = roundUp(rows, 4);
      let A = x + r0 * K * 4;
      if (windowed) {
        windowed.gemm_f32_conv(x, Hp, Wp, C, kh, kw, sh, sw, dh, OH, OW, r0, rows, region.wF32, Np, L.c32, Np, Np);
        if (acc) this.saveAcc(acc, L.c32, r0, rows, Np * 4);
        t.epiF32(region.blkF, L.c32, Np, rows, N, dst + r0 * N * 4, N);
        continue;
      }
      if (!direct || rows !== rowsPad) {
        t.im2colX32(x, Hp, Wp, C, kh, kw, sh, sw, dh, dw, pt, pl, OH, OW, r0, rows, rowsPad, L.panel, K);
        A = L.panel;
      }
      t.gemmF32(A, K, region.wF32, Np, L.c32, Np, rowsPad, Np, K);
      if (acc) this.saveAcc(acc, L.c32, r0, rows, Np * 4);
      t.epiF32(region.blkF, L.c32, Np, rows, N, dst + r0 * N * 4, N);
    }
  }

  /** Copies a tile's accumulators (rows × rowBytes at `from` in Wasm memory) into the cache. */
  private saveAcc(acc: AccTask, from: number, r0: number, rows: number, rowBytes: number): void {
    acc.data.set(new Uint8Array(this.k.memory.buffer, from, rows * rowBytes), (acc.base + r0) * rowBytes);
  }

  /** Puts a tile's cached accumulators back at `to`. */
  private restoreAcc(acc: AccTask, to: number, r0: number, rows: number, rowBytes: number): void {
    const at = (acc.base + r0) * rowBytes;
    new Uint8Array(this.k.memory.buffer, to, rows * rowBytes).set(acc.data.subarray(at, at + rows * rowBytes));
  }

  /**
   * SIMD: zero padding first, so im2col copies whole runs without bounds checks. Scalar: the
   * plain im2col pads itself (two routes to the same panel, checked against each other).
   */
  private padInput(from: number, H: number, W: number, C: number, pads: readonly number[], nb: number) {
    if (!this.t.simd || !pads.some((v) => v > 0)) return { x: from, Hp: H, Wp: W, pt: pads[0], pl: pads[1] };
    this.k.pad_copy(from, H, W, C, pads[0], pads[1], pads[2], pads[3], nb, this.L.padScratch);
    return { x: this.L.padScratch, Hp: H + pads[0] + pads[2], Wp: W + pads[1] + pads[3], pt: 0, pl: 0 };
  }
}
