// The published method, as the authors' code does it (DESIGN.md §6): the weights of every
// layer first to last, then all biases, then all activations, each tensor searched with the
// others as fixed so far (the rest float), under the budget schedule B/2·i/L, B/2,
// B/2 + B/2·i/L. Epilogue/affine scales are searched right after their layer's weights, shifts
// with the biases. The input image is the first activation (i = 0), starting at 8 bits.
// Formats are signed throughout, as in the paper.
import { floatConfig } from '../core/config.ts';
import { isParamNode } from '../core/graph.ts';
import type { TensorRef } from '../core/tensors.ts';
import type { MethodResult, SearchContext, TraceStep } from './context.ts';
import { walkTensor } from './tensor-walk.ts';

export interface ScheduledTensor {
  tensor: TensorRef;
  phase: 'weights' | 'biases' | 'activations';
  budget: number;
  startBits: number;
}

/** The order and per-tensor budgets of the paper's search for final budget B. */
export function paperSchedule(ctx: Pick<SearchContext, 'graph' | 'tensors'>, B: number): ScheduledTensor[] {
  const rank: number[] = [];
  let L = 0;
  ctx.graph.nodes.forEach((n, i) => {
    if (isParamNode(n)) L++;
    rank[i] = L; // layers up to and including node i
  });
  const Ls = Math.max(1, L);
  const of = (role: TensorRef['role']) => ctx.tensors.filter((t) => t.role === role);
  return [
    ...of('weights').map((t) => ({ tensor: t, phase: 'weights' as const, budget: (B / 2) * (rank[t.node] / Ls), startBits: 12 })),
    ...of('bias').map((t) => ({ tensor: t, phase: 'biases' as const, budget: B / 2, startBits: 8 })),
    ...of('activation').map((t) => ({
      tensor: t, phase: 'activations' as const, budget: B / 2 + (B / 2) * (rank[t.node] / Ls),
      startBits: ctx.graph.nodes[t.node].kind === 'input' ? 8 : 12,
    })),
  ];
}

export async function paperSearch(ctx: SearchContext): Promise<MethodResult> {
  const schedule = paperSchedule(ctx, ctx.budget);
  let config = floatConfig(ctx.graph.nodes.length);
  const trace: TraceStep[] = [];
  for (let k = 0; k < schedule.length; k++) {
    const { tensor, phase, budget, startBits } = schedule[k];
    ctx.scorer.phase = phase;
    ctx.scorer.tensor = tensor;
    ctx.scorer.fraction = k / schedule.length;
    ctx.scorer.report();
    const r = await walkTensor(ctx.scorer, config, tensor, budget, startBits, true);
    config = r.config;
    trace.push({ phase, tensor: tensor.name, node: tensor.node, format: r.format, budget, loss: r.loss, exact: r.exact });
  }
  ctx.scorer.fraction = 1;
  ctx.scorer.tensor = undefined;
  return { config, trace };
}
