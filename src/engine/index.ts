// Public API of the engine. Loaders are separate modules so the browser bundle never sees
// node:fs: src/engine/load-node.ts (createNodeEngine) and src/engine/load-browser.ts
// (createBrowserEngine).
export type { Domain, EngineCounters, EngineOptions, EngineWasm, NodePath, NodeTensor, RunOptions, RunResult } from './engine.ts';
export { ConfigRangeError, Engine, createEngine, createEngineSync, relaxedSimdSupported } from './engine.ts';
export type { TensorStats } from '../core/tensor-stats.ts';
