// Shared by every command: the model, the data and the preprocessing flags of DESIGN.md §8,
// loaded into a Workspace on a Node engine.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine } from '../engine/engine.ts';
import { loadEngineWasmNode } from '../engine/load-node.ts';
import { openDataset, openModel } from '../formats/index.ts';
import { readPathAsFiles } from '../formats/node-files.ts';
import { nearChanceWarning, type Preprocessing, type SearchReadyData, type SplitSettings } from '../app/load-data.ts';
import { Workspace } from '../app/workspace.ts';
import { type ParsedArgs, UsageError, numberFlag, numberListFlag, stringFlag } from './args.ts';
import { demoDataPath, demoModelPath, projectRoot } from './project.ts';

export const INPUT_FLAGS = {
  model: 'value', data: 'value', range: 'value', mean: 'value', std: 'value', resize: 'value',
  search: 'value', calibration: 'value', confirmation: 'value', validation: 'value', seed: 'value',
} as const;

function existing(path: string, what: string): string {
  if (!existsSync(path)) throw new UsageError(`${what} ${path} does not exist`);
  return path;
}

export function preprocessingFlags(flags: ParsedArgs['flags']): Preprocessing {
  const range = numberListFlag(flags, 'range', [2]) as [number, number] | undefined;
  if (range && !(range[1] > range[0])) throw new UsageError(`--range ${range.join(',')}: the upper end must be above the lower`);
  const std = numberListFlag(flags, 'std', [1, 3]);
  if (std?.some((s) => s <= 0)) throw new UsageError('--std values must be positive');
  const resize = stringFlag(flags, 'resize');
  let size: [number, number] | undefined;
  if (resize !== undefined) {
    const m = /^(\d+)x(\d+)$/i.exec(resize);
    if (!m || +m[1] < 1 || +m[2] < 1) throw new UsageError(`--resize got "${resize}"; expected HxW, e.g. 28x28`);
    size = [+m[1], +m[2]];
  }
  return { range, mean: numberListFlag(flags, 'mean', [1, 3]), std, resize: size };
}

/** --search (or its older name --calibration), --confirmation, --validation; absent: core/split.ts defaults. */
export function splitFlags(flags: ParsedArgs['flags']): SplitSettings {
  const count = (name: string, min: number) => {
    if (!flags.has(name)) return undefined;
    return numberFlag(flags, name, 0, (v) => Number.isInteger(v) && v >= min);
  };
  if (flags.has('search') && flags.has('calibration')) throw new UsageError('--calibration is the older name of --search; give one of them');
  return {
    seed: numberFlag(flags, 'seed', 0, Number.isInteger),
    search: count('search', 1) ?? count('calibration', 1),
    confirmation: count('confirmation', 0),
    validation: count('validation', 1),
  };
}

export async function nodeWorkspace(): Promise<Workspace> {
  return new Workspace(await createEngine(loadEngineWasmNode(join(projectRoot(), 'build'))));
}

export interface Loaded {
  workspace: Workspace;
  /**
   * The data as far as a search needs it to start; `workspace.data` adds the float pass of the
   * confirmation and held-out images (or `workspace.completeData` takes it from a worker pool).
   */
  ready: SearchReadyData;
  modelPath: string;
  dataPath: string;
}

/** Opens --model and --data (or the demo's) and loads them into a new workspace (Workspace.setSearchData). */
export async function loadInputs(args: ParsedArgs, log: (s: string) => void = () => {}): Promise<Loaded> {
  const modelPath = existing(stringFlag(args.flags, 'model') ?? demoModelPath(), 'the model');
  const dataPath = existing(stringFlag(args.flags, 'data') ?? demoDataPath(), 'the data');
  const prep = preprocessingFlags(args.flags);
  const split = splitFlags(args.flags);
  const workspace = await nodeWorkspace();
  log(`reading model ${modelPath}`);
  workspace.setModel(await openModel(readPathAsFiles(modelPath)));
  log(`reading data ${dataPath}`);
  const dataset = await openDataset(readPathAsFiles(dataPath));
  let ready: SearchReadyData;
  try {
    ready = workspace.setSearchData(dataset, prep, split);
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  // The same warning the page shows, for eval and quantize alike.
  const warning = nearChanceWarning(ready);
  if (warning) log(`warning: ${warning}`);
  return { workspace, ready, modelPath, dataPath };
}
