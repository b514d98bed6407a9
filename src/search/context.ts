// What every search method works with.
import type { Graph } from '../core/graph.ts';
import type { ActivationStats, TensorRef } from '../core/tensors.ts';
import type { Format } from '../core/format.ts';
import type { QuantConfig } from '../core/config.ts';
import type { Scorer } from './scorer.ts';

export interface SearchContext {
  graph: Graph;
  stats: ActivationStats;
  /** quantTensors(graph, stats): every tensor with a format, in graph order. */
  tensors: TensorRef[];
  scorer: Scorer;
  /** Final loss budget (relative fraction). */
  budget: number;
}

/** One decision of a method, for the trace shown to the user and checked by tests. */
export interface TraceStep {
  phase: string;
  tensor: string;
  node: number;
  format: Format | null;
  /** The loss this step was allowed to reach. */
  budget: number;
  /** Loss on the whole search set after the step (a lower bound when `exact` is false). */
  loss: number;
  exact: boolean;
}

export interface MethodResult {
  config: QuantConfig;
  trace: TraceStep[];
  /** frontier: the walk's accepted configurations in order (each one step cheaper than the last). */
  path?: QuantConfig[];
}
