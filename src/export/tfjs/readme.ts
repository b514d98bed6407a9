// README.md of the TensorFlow.js export: what the model holds and what it does not.
import type { QuantConfig } from '../../core/config.ts';
import type { Format } from '../../core/format.ts';
import type { Graph } from '../../core/graph.ts';
import { nodeParams } from '../params.ts';

const fmt = (f: Format | null | undefined) => (f ? `Q${f.signed ? '' : 'u'}(${f.bits},${f.frac})` : 'float32');

export function tfjsReadme(o: { model: string; graph: Graph; config: QuantConfig; live: boolean[]; ids: string[]; notes: string[] }): string {
  const rows: string[] = [];
  o.graph.nodes.forEach((n, i) => {
    if (!o.live[i]) return;
    const f = o.config.nodes[i] ?? {};
    const params = nodeParams(n).map((p) => `${p.slot} ${fmt(f[p.slot])}`).join(', ');
    if (params) rows.push(`| ${o.ids[i]} | ${n.kind} | ${params} |`);
  });
  const wide = o.graph.nodes.some((_, i) => o.live[i] && Object.values(o.config.nodes[i] ?? {}).some((f) => f && (f as Format).bits > 24));
  return [
    `# ${o.model}: TensorFlow.js model with quantized weights`,
    '',
    'Exported by Fixpoint. `model.json` and its weights file form a TensorFlow.js Layers model',
    '(`tf.loadLayersModel`) whose weights, biases and batch-normalization scales and shifts are the',
    'fixed-point values of the chosen configuration, turned back into float32: a value q in format',
    'Q(bits, frac) is stored as q·2^-frac.',
    '',
    '**Activation quantization is not in this model.** Between layers it computes in float32, so it',
    'shows the effect of quantizing the parameters only; its accuracy is usually close to, but not the',
    'same as, the integer network\'s. For the exact integer network use the C export (`model_q.c`,',
    'bit-exact with Fixpoint\'s engine) or `model.fxp.json` + `model.fxp.bin`.',
    '',
    'Other differences from the original model file:',
    '- A BatchNormalization applied after an activation is a BatchNormalization layer with',
    '  gamma = scale, beta = shift, moving mean 0, moving variance 1 and epsilon 0 (it computes',
    '  x·gamma + beta); a final softmax, if the original had one, is not included (top-1 is the same).',
    '- Layer names are the original names reduced to letters, digits and underscores.',
    ...(wide ? ['- Parameters wider than 24 bits are rounded to the nearest float32.'] : []),
    ...o.notes.map((n) => `- ${n}`),
    '',
    '| layer | kind | formats |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
