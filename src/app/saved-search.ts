// A finished search as it leaves the program for the page to keep across reloads: the search's
// own result with every configuration in it by layer name (core/report.ts NamedConfig), as
// report.json holds one. Pages before names kept the result with configurations by node index;
// those still come back.
import type { QuantConfig } from '../core/config.ts';
import type { Graph } from '../core/graph.ts';
import { type NamedConfig, namedConfigOf } from '../core/report.ts';
import { configFromReport } from '../core/report-config.ts';
import type { SearchResult } from '../search/run.ts';

type With<T, C> = Omit<T, 'config'> & { config: C };

/** A SearchResult whose configurations are of type C (QuantConfig inside the program). */
type ResultWith<C> = Omit<SearchResult, 'chosen' | 'baseline8' | 'frontier' | 'records'> & {
  chosen: With<SearchResult['chosen'], C>;
  baseline8: With<SearchResult['baseline8'], C>;
  frontier: With<SearchResult['frontier'][number], C>[];
  records: With<SearchResult['records'][number], C>[];
};

export type SavedResult = ResultWith<NamedConfig>;

function mapConfigs<A, B>(r: ResultWith<A>, f: (c: A) => B): ResultWith<B> {
  const one = <T extends { config: A }>(x: T) => ({ ...x, config: f(x.config) });
  return { ...r, chosen: one(r.chosen), baseline8: one(r.baseline8), frontier: r.frontier.map(one), records: r.records.map(one) };
}

export const savedResult = (graph: Graph, r: SearchResult): SavedResult => mapConfigs(r, (c) => namedConfigOf(graph, c));

/** The search result a saved one describes for this graph; one kept by node index is used as it is. */
export function searchResult(graph: Graph, s: SavedResult | SearchResult): SearchResult {
  const byIndex = (x: SavedResult | SearchResult): x is SearchResult => 'nodes' in x.chosen.config;
  return byIndex(s) ? s : mapConfigs(s, (c): QuantConfig => configFromReport(graph, c));
}
