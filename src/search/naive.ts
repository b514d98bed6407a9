// The paper's negative result (DESIGN.md §6): each tensor searched alone with everything else
// float, under the whole budget, then all choices combined and scored once. Kept to show why
// interactions matter; its result usually breaks the budget.
import { floatConfig } from '../core/config.ts';
import { withFormat } from '../core/tensors.ts';
import type { MethodResult, SearchContext, TraceStep } from './context.ts';
import { paperSchedule } from './paper.ts';
import { walkTensor } from './tensor-walk.ts';

export async function naiveSearch(ctx: SearchContext): Promise<MethodResult> {
  const schedule = paperSchedule(ctx, ctx.budget);
  const float = floatConfig(ctx.graph.nodes.length);
  let combined = float;
  const trace: TraceStep[] = [];
  for (let k = 0; k < schedule.length; k++) {
    const { tensor, startBits } = schedule[k];
    ctx.scorer.phase = 'alone';
    ctx.scorer.tensor = tensor;
    ctx.scorer.fraction = k / (schedule.length + 1);
    ctx.scorer.report();
    const r = await walkTensor(ctx.scorer, float, tensor, ctx.budget, startBits, true);
    combined = withFormat(combined, tensor, r.format);
    trace.push({ phase: 'alone', tensor: tensor.name, node: tensor.node, format: r.format, budget: ctx.budget, loss: r.loss, exact: r.exact });
  }
  ctx.scorer.phase = 'combined';
  ctx.scorer.tensor = undefined;
  const s = await ctx.scorer.score(combined, 'full');
  ctx.scorer.fraction = 1;
  trace.push({ phase: 'combined', tensor: '*', node: -1, format: null, budget: ctx.budget, loss: s.loss, exact: s.exact });
  return { config: combined, trace };
}
