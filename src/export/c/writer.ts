// The C99 export (DESIGN.md §9): model_q.h, model_q.c, test_vectors.h, test_main.c and a
// Makefile whose `make test` checks the engine's outputs bit for bit. Integer arithmetic only:
// no float or double anywhere, no allocation, static buffers. Nothing from the model file is
// pasted into the code: identifiers and comments use sanitised names only.
import type { QuantConfig } from '../../core/config.ts';
import type { Format } from '../../core/format.ts';
import { formatRange } from '../../core/format.ts';
import type { Graph } from '../../core/graph.ts';
import { elementCount } from '../../core/graph.ts';
import type { ExportFile } from '../files.ts';
import { ExportError } from '../files.ts';
import { sanitizeIdentifier, uniqueIdentifiers } from '../identifiers.ts';
import { nodeParams } from '../params.ts';
import type { ArithType } from './ctype.ts';
import { cReadme, makefile, testMain, testVectorsHeader } from './harness.ts';
import { Helpers } from './helpers.ts';
import type { KernelSpec } from './kernels.ts';
import { emitKernel } from './kernels.ts';
import { planValues } from './plan.ts';

/** Quantized inputs and the exact integer logits the engine computed for them. */
export interface TestVectors {
  inputs: Int32Array[];
  logits: Int32Array[];
}

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
  /** Bytes of static activation buffers. */
  bufferBytes: number;
  /** Bytes of the constant parameter arrays. */
  paramBytes: number;
}

const MODEL_ID_MAX = 24;
const NODE_ID_MAX = 32;

const fmtName = (f: Format) => `Q${f.signed ? '' : 'u'}(${f.bits},${f.frac})`;
const BYTES: Record<string, number> = { int8_t: 1, uint8_t: 1, int16_t: 2, uint16_t: 2, int32_t: 4, uint32_t: 4 };

function formatDefines(prefix: string, f: Format, what: string): string[] {
  return [
    `#define ${prefix}_BITS ${f.bits} /* ${what}: ${fmtName(f)} */`,
    `#define ${prefix}_FRAC ${f.frac < 0 ? `(${f.frac})` : f.frac}`,
    `#define ${prefix}_SIGNED ${f.signed ? 1 : 0}`,
  ];
}

/** Builds the C export; throws ExportError when a tensor has no format or a value could exceed 64 bits. */
export function buildCExport(graph: Graph, config: QuantConfig, o: CExportOptions): CExportResult {
  const plan = planValues(graph, config);
  const model = sanitizeIdentifier(o.modelName ?? graph.name, { fallback: 'model', maxLength: MODEL_ID_MAX });
  const MODEL = model.toUpperCase();
  const P = `FXP_${MODEL}`;
  const ids = uniqueIdentifiers(graph.nodes.map((n) => n.name), { fallback: 'layer', maxLength: NODE_ID_MAX });
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
    for (const a of code.arrays) {
      const name = /static const \w+ (\w+)\[/.exec(a)![1];
      arrays.push(new RegExp(`\\b${name}\\b`).test(code.fn) ? a : `/* ${name}: every value rounds to 0 at this layer's precision; not stored */`);
    }
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
  const bufferBytes = plan.buffers.reduce((s, b) => s + b.size * BYTES[b.type], 0);
  const calls = plan.computed.map((i) => `    layer_${ids[i]}(${graph.nodes[i].inputs.map((p) => plan.buffer[p]).join(', ')}, ${plan.buffer[i]});`);

  const header = [
    `/* model_q.h: fixed-point inference of model "${model}", generated by Fixpoint.`,
    ` * Integer arithmetic only (DESIGN.md section 4 semantics), no allocation: activations live in`,
    ` * static buffers, so the functions are not reentrant. A value q in format Q(bits, frac) means`,
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
    ` * Activation buffers: ${bufferBytes} bytes. */`,
    `#include "model_q.h"`,
    ``,
    h.text(),
    ``,
    ...defines,
    ...arrays.flatMap((a) => [a, '']),
    ...plan.buffers.map((b) => `static ${b.type} ${b.name}[${b.size}];`),
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

  checkVectors(o.testVectors, inFormat, inSize, outFormat, outSize);
  const vectors = testVectorsHeader({ P, model, inType, outType, inSize, outSize, vectors: o.testVectors });
  const paramBytes = arrays.reduce((sum, a) => {
    const m = /static const (\w+) \w+\[(\d+)\]/.exec(a);
    return m ? sum + BYTES[m[1]] * Number(m[2]) : sum;
  }, 0);
  const wideLayers = plan.computed.filter((i) => arith.get(i)!.has('int64_t')).map((i) => ids[i]);
  const files: ExportFile[] = [
    { name: 'model_q.h', data: header },
    { name: 'model_q.c', data: source },
    { name: 'test_vectors.h', data: vectors },
    { name: 'test_main.c', data: testMain({ P, model, outType, outSize }) },
    { name: 'Makefile', data: makefile() },
    { name: 'README.md', data: cReadme({ model, P, inType, outType, vectors: o.testVectors.inputs.length, bufferBytes, paramBytes, wideLayers }) },
  ];
  return { files, model, arith, bufferBytes, paramBytes };
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
