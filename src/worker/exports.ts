// The downloads of DESIGN.md §9 from the workspace's current result (filled in by the export writers).
import type { ExportFile } from './contract.ts';
import type { Workspace } from './workspace.ts';

export async function exportFiles(ws: Workspace, kinds: string[]): Promise<ExportFile[]> {
  if (!ws.lastSearch) throw new Error('Run a search first: the downloads hold its result.');
  throw new Error(`exports (${kinds.join(', ')}) are not available in this build yet`);
}
