// uniform(N): every tensor at N bits, signed, no-clipping fractional lengths (N = 8 is the
// baseline of DESIGN.md §5).
import { uniformConfig } from '../core/cost.ts';
import type { MethodResult, SearchContext } from './context.ts';

export async function uniformSearch(ctx: SearchContext, bits: number): Promise<MethodResult> {
  const config = uniformConfig(ctx.graph, ctx.stats, bits);
  ctx.scorer.phase = `uniform ${bits}-bit`;
  const s = await ctx.scorer.score(config, 'full');
  ctx.scorer.fraction = 1;
  ctx.scorer.report();
  return { config, trace: [{ phase: ctx.scorer.phase, tensor: '*', node: -1, format: null, budget: ctx.budget, loss: s.loss, exact: s.exact }] };
}
