// The C99 export (DESIGN.md §9): model_q.h, model_q.c, test_vectors.h, test_main.c and a
// Makefile whose `make test` checks the engine's outputs bit for bit. Integer arithmetic only:
// no float or double anywhere, no allocation, static buffers. Nothing from the model file is
// pasted into the code: identifiers and comments use sanitised names only.
import type { QuantConfig } from '../../core/config.ts';
import type { Format } from '../../core/format.ts';
import { formatRange } from '../../core/format.ts';
import type { Graph } from '../../core/graph.ts';
import { elementCount } from '../../core/graph.ts';
import { configCost } from '../../core/cost.ts';
import type { ExportFile } from '../files.ts';
import { ExportError } from '../files.ts';
import { sanitizeIdentifier, uniqueIdentifiers } from '../identifiers.ts';
import { nodeParams } from '../params.ts';
import type { ArithType } from './ctype.ts';
import { benchMain, cReadme, makefile, testMain, testVectorsHeader } from './harness.ts';
import { Helpers } from './helpers.ts';
import type { KernelSpec } from './kernels.ts';
import { emitKernel } from './kernels.ts';
import type { ValuePlan } from './plan.ts';
import { planValues } from './plan.ts';
import type { CSizes } from './sizes.ts';
import { BYTES } from './storage.ts';

/** Quantized inputs and the exact integer logits the engine computed for them. */
export interface TestVectors {
  inputs: Int32Array[];
  logits: Int32Array[];
}

export type { CSizes } from './sizes.ts';

export interface CExportOptions {
  testVectors: TestVectors;
  /** Model identifier in function names (default: the graph's name), sanitised. */
  modelName?: string;
}

export interface CExportResult {
  files: ExportFile[];
  /** Sanitised model identifier: entry points fixpoint_<model>_run / _argmax / _predict. */
  model: string;
  /** Per computed node (by graph index), the arithmetic widths its kernel uses. */
  arith: Map<number, Set<ArithType>>;
  /** What the program needs on a device. */
  sizes: CSizes;
}


const MODEL_ID_MAX = 24;
const NODE_ID_MAX = 32;

const fmtName = (f: Format) => `Q${f.signed ? '' : 'u'}(${f.bits},${f.frac})`;

function formatDefines(prefix: string, f: Format, what: string): string[] {
  return [
    `#define ${prefix}_BITS ${f.bits} /* ${what}: ${fmtName(f)} */`,
    `#define ${prefix}_FRAC ${f.frac < 0 ? `(${f.frac})` : f.frac}`,
    `#define ${prefix}_SIGNED ${f.signed ? 1 : 0}`,
  ];
}

/** Builds the C export; throws ExportError when a tensor has no format or a value could exceed 64 bits. */
export function buildCExport(graph: Graph, config: QuantConfig, o: CExportOptions): CExportResult {
  return generate(graph, config, o, false);
}

/** What the C program of a configuration needs on a device, without writing it (no test vectors needed). */
export function cSizes(graph: Graph, config: QuantConfig): CSizes {
  return generate(graph, config, { testVectors: { inputs: [], logits: [] } }, true).sizes;
}

function generate(graph: Graph, config: QuantConfig, o: CExportOptions, sizesOnly: boolean): CExportResult {
  const model = sanitizeIdentifier(o.modelName ?? graph.name, { fallback: 'model', maxLength: MODEL_ID_MAX });
  const MODEL = model.toUpperCase();
  const P = `FXP_${MODEL}`;
  const ids = uniqueIdentifiers(graph.nodes.map((n) => n.name), { fallback: 'layer', maxLength: NODE_ID_MAX });
  const plan = planValues(graph, config, (i) => `${P}_${ids[i].toUpperCase()}_AT`);
  const inFormat = plan.format[0]!;
  const inType = plan.type[0]!;
  const outNode = graph.output;
  const outFormat = plan.format[outNode]!;
  const outType = plan.type[outNode]!;
  const inShape = graph.nodes[0].shape;
  const inSize = elementCount(inShape);
  const outSize = elementCount(graph.nodes[outNode].shape);

  const h = new Helpers();
  const defines: string[] = [];
  const arrays: string[] = [];
  const fns: string[] = [];
  const arith = new Map<number, Set<ArithType>>();
  const headerFormats: string[] = [];
  let weightBytes = 0;
  let tensors = 0;
  let omittedBytes = 0;
  let unpackBytes = 0;
  for (const i of plan.computed) {
    const n = graph.nodes[i];
    const spec: KernelSpec = {
      node: n, id: ids[i], macro: `${P}_${ids[i].toUpperCase()}`,
      inputs: n.inputs.map((p) => ({ type: plan.type[p]!, format: plan.format[p]!, shape: graph.nodes[p].shape })),
      outType: plan.type[i]!, outFormat: plan.format[i]!, formats: config.nodes[i] ?? {},
    };
    const code = emitKernel(spec, h);
    defines.push(...code.defines, '');
    // A parameter whose every value vanishes once aligned (a bias far below the accumulator's
    // precision) is never read; it is left out, as an unused static array would not compile.
    for (const p of code.params) {
      if (new RegExp(`\\b${p.name}\\b`).test(code.fn)) {
        arrays.push(p.decl);
        weightBytes += p.bytes;
        tensors++;
      } else {
        arrays.push(`/* ${p.name}: every value rounds to 0 at this layer's precision; not stored */`);
        omittedBytes += (p.format.bits * p.count) / 8;
      }
    }
    unpackBytes = Math.max(unpackBytes, code.unpackBytes);
    fns.push(code.fn);
    arith.set(i, code.arith);
  }
  graph.nodes.forEach((n, i) => {
    if (!plan.live[i] || n.kind === 'input') return;
    const f = config.nodes[i] ?? {};
    const M = `${P}_${ids[i].toUpperCase()}`;
    const lines: string[] = [];
    const names: Record<string, [string, string]> = { weights: ['W', 'weights'], bias: ['B', 'bias'], scale: ['S', 'epilogue scale'], shift: ['T', 'epilogue shift'] };
    if (n.kind === 'affine') { names.weights = ['W', 'scale']; names.bias = ['B', 'shift']; }
    for (const p of nodeParams(n)) lines.push(...formatDefines(`${M}_${names[p.slot][0]}`, f[p.slot]!, names[p.slot][1]));
    if (n.kind === 'conv2d' || n.kind === 'depthwiseConv2d' || n.kind === 'dense' || n.kind === 'affine' || n.kind === 'add' || n.kind === 'concat') {
      lines.push(...formatDefines(`${M}_OUT`, f.output!, 'output'));
    }
    if (lines.length) headerFormats.push(`/* ${ids[i]} (${n.kind}) */`, ...lines);
  });

  const runName = `fixpoint_${model}_run`;
  const argmaxName = `fixpoint_${model}_argmax`;
  const predictName = `fixpoint_${model}_predict`;
  const A = plan.arena;
  const cost = configCost(graph, config);
  const sizes: CSizes = {
    weightBytes, tensors, omittedBytes, activationBytes: A.bytes, activationLowerBound: A.lowerBound, inputBytes: inSize * BYTES[inType], unpackBytes,
    reportWeightBytes: cost.weights_kb * 1024, reportPeakActivationBytes: cost.peak_activation_kb * 1024,
  };
  const calls = plan.computed.map((i) => `    layer_${ids[i]}(${graph.nodes[i].inputs.map((p) => plan.buffer[p]).join(', ')}, ${plan.buffer[i]});`);

  const header = [
    `/* model_q.h: fixed-point inference of model "${model}", generated by Fixpoint.`,
    ` * Integer arithmetic only (DESIGN.md section 4 semantics), no allocation: activations live in`,
    ` * a static arena, so the functions are not reentrant. A value q in format Q(bits, frac) means`,
    ` * q * 2^-frac; unsigned formats are written Qu. */`,
    `#ifndef ${P}_MODEL_H`,
    `#define ${P}_MODEL_H`,
    ``,
    `#include <stdint.h>`,
    ``,
    `#ifdef __cplusplus`,
    `extern "C" {`,
    `#endif`,
    ``,
    `/* Input: ${inShape.join('x')} (height x width x channels, channels last), ${fmtName(inFormat)}:`,
    ` * a real value x is given as q = floor(x * 2^FRAC + 1/2), saturated to the format's range. */`,
    `#define ${P}_INPUT_H ${inShape[0]}`,
    `#define ${P}_INPUT_W ${inShape[1]}`,
    `#define ${P}_INPUT_C ${inShape[2]}`,
    `#define ${P}_INPUT_SIZE ${inSize}`,
    ...formatDefines(`${P}_INPUT`, inFormat, 'input'),
    ``,
    `/* Output: ${outSize} logits, ${fmtName(outFormat)}; the answer is the largest (lowest index on ties). */`,
    `#define ${P}_OUTPUT_SIZE ${outSize}`,
    ...formatDefines(`${P}_OUTPUT`, outFormat, 'output'),
    ``,
    `/* Memory in bytes. Flash: the constant parameters, every tensor packed at its bit width (widths`,
    ` * of 8, 16 and 32 bits as plain arrays). RAM: a static arena that holds each layer's output while`,
    ` * it is needed, the input image the caller passes, and on the stack at most UNPACK_BYTES of`,
    ` * weights unpacked for the layer running (plus a few locals). */`,
    `#define ${P}_WEIGHT_BYTES ${weightBytes}`,
    `#define ${P}_ACTIVATION_BYTES ${A.bytes}`,
    `#define ${P}_INPUT_BYTES ${sizes.inputBytes}`,
    `#define ${P}_UNPACK_BYTES ${unpackBytes}`,
    ``,
    `typedef ${inType} fxp_${model}_input_t;`,
    `typedef ${outType} fxp_${model}_output_t;`,
    ``,
    `/* Formats of every layer's tensors. */`,
    ...headerFormats,
    ``,
    `/* Runs the network on one image (${P}_INPUT_SIZE values) and writes ${P}_OUTPUT_SIZE logits. */`,
    `void ${runName}(const ${inType} *input, ${outType} *logits);`,
    ``,
    `/* Index of the largest logit; the lowest index wins ties. */`,
    `int ${argmaxName}(const ${outType} *logits);`,
    ``,
    `/* ${runName} followed by ${argmaxName}. */`,
    `int ${predictName}(const ${inType} *input);`,
    ``,
    `#ifdef __cplusplus`,
    `}`,
    `#endif`,
    ``,
    `#endif /* ${P}_MODEL_H */`,
    ``,
  ].join('\n');

  const widths = new Set([...arith.values()].flatMap((s) => [...s]));
  const source = [
    `/* model_q.c: fixed-point inference of model "${model}", generated by Fixpoint.`,
    ` * Every requantization is shiftRound(a, s) = floor((a + 2^(s-1)) / 2^s) for s > 0 and a * 2^-s`,
    ` * for s <= 0, then saturation to the destination format. Sums of products are exact: each runs`,
    ` * in int32_t only where a bound on its magnitude, computed from the actual weights at export,`,
    ` * fits in 31 bits, and in int64_t otherwise (this model uses ${[...widths].sort().join(' and ') || 'no wide arithmetic'}).`,
    ` * Constant parameters: ${weightBytes} bytes; activation arena: ${A.bytes} bytes. */`,
    `#include "model_q.h"`,
    ``,
    h.text(fns.join('\n')),
    ``,
    ...defines,
    ...arrays.flatMap((a) => [a, '']),
    ...arenaDecl(plan, P, ids, graph),
    ``,
    ...fns.flatMap((f) => [f, '']),
    `void ${runName}(const ${inType} *input, ${outType} *logits)`,
    `{`,
    ...calls,
    `    for (int32_t i = 0; i < ${outSize}; ++i) logits[i] = ${plan.buffer[outNode]}[i];`,
    `}`,
    ``,
    `int ${argmaxName}(const ${outType} *logits)`,
    `{`,
    `    int32_t best = 0;`,
    `    for (int32_t i = 1; i < ${outSize}; ++i) {`,
    `        if (logits[i] > logits[best]) best = i;`,
    `    }`,
    `    return (int)best;`,
    `}`,
    ``,
    `int ${predictName}(const ${inType} *input)`,
    `{`,
    `    ${outType} logits[${outSize}];`,
    `    ${runName}(input, logits);`,
    `    return ${argmaxName}(logits);`,
    `}`,
    ``,
  ].join('\n');

  if (sizesOnly) return { files: [], model, arith, sizes };
  checkVectors(o.testVectors, inFormat, inSize, outFormat, outSize);
  const vectors = testVectorsHeader({ P, model, inType, outType, inSize, outSize, vectors: o.testVectors });
  const wideLayers = plan.computed.filter((i) => arith.get(i)!.has('int64_t')).map((i) => ids[i]);
  const files: ExportFile[] = [
    { name: 'model_q.h', data: header },
    { name: 'model_q.c', data: source },
    { name: 'test_vectors.h', data: vectors },
    { name: 'test_main.c', data: testMain({ P, model, outType, outSize }) },
    { name: 'bench_main.c', data: benchMain({ P, model }) },
    { name: 'Makefile', data: makefile() },
    { name: 'README.md', data: cReadme({ model, P, inType, outType, vectors: o.testVectors.inputs.length, sizes, wideLayers }) },
  ];
  return { files, model, arith, sizes };
}

function arenaDecl(plan: ValuePlan, P: string, ids: string[], graph: Graph): string[] {
  const A = plan.arena;
  if (A.slots.length === 0) return [];
  return [
    `/* Activation arena: each layer writes its output at a fixed byte offset; outputs never needed at`,
    ` * the same time share bytes. */`,
    ...A.slots.map((s) => `#define ${s.macro} ${s.offset} /* ${ids[s.node]} (${graph.nodes[s.node].kind}) output: bytes [${s.offset}, ${s.offset + s.bytes}) */`),
    `static ${A.type} fxp_arena[${P}_ACTIVATION_BYTES${A.type === 'int16_t' ? ' / 2' : ''}];`,
  ];
}

function checkVectors(v: TestVectors | undefined, inF: Format, inSize: number, outF: Format, outSize: number): void {
  if (!v || v.inputs.length === 0) throw new ExportError('the C export needs test vectors: quantized input images and the logits the engine computed for them');
  if (v.inputs.length !== v.logits.length) throw new ExportError(`${v.inputs.length} test inputs but ${v.logits.length} logit vectors`);
  const inside = (a: Int32Array, f: Format) => {
    const [lo, hi] = formatRange(f);
    return a.every((x) => x >= lo && x <= hi);
  };
  v.inputs.forEach((x, i) => {
    if (x.length !== inSize) throw new ExportError(`test input ${i} has ${x.length} values, the model takes ${inSize}`);
    if (!inside(x, inF)) throw new ExportError(`test input ${i} holds values outside the input format ${fmtName(inF)}`);
  });
  v.logits.forEach((y, i) => {
    if (y.length !== outSize) throw new ExportError(`test logits ${i} have ${y.length} values, the model gives ${outSize}`);
    if (!inside(y, outF)) throw new ExportError(`test logits ${i} hold values outside the output format ${fmtName(outF)}`);
  });
}

/** The C export's files (see buildCExport). */
export function writeC(graph: Graph, config: QuantConfig, o: CExportOptions): ExportFile[] {
  return buildCExport(graph, config, o).files;
}
