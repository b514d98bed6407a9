// The layers of a result that hold formats of their own: report.json's layers without pool,
// pad, reshape and standalone activations, which keep their input's format.
import { ownsOutputFormat } from '../../core/graph.ts';
import type { LayerJson } from '../../worker/contract.ts';

export const formatLayers = (layers: readonly LayerJson[]): LayerJson[] => layers.filter(ownsOutputFormat);
