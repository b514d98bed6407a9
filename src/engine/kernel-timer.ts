// Time spent in each Wasm kernel, for profiling (bench/profile-kernels.ts, the browser bench's
// ?profile page): pass `instrument` to createEngine and read `times` after a run.
import type { KernelExports } from './kernels.ts';

export function kernelTimer(): { instrument: (k: KernelExports) => KernelExports; times: Map<string, number> } {
  const times = new Map<string, number>();
  const instrument = (k: KernelExports): KernelExports => {
    const wrapped: Record<string, unknown> = { ...k };
    for (const [name, fn] of Object.entries(k)) {
      if (typeof fn !== 'function') continue;
      wrapped[name] = (...args: unknown[]) => {
        const t = performance.now();
        const r = (fn as (...a: unknown[]) => unknown)(...args);
        times.set(name, (times.get(name) ?? 0) + performance.now() - t);
        return r;
      };
    }
    return wrapped as unknown as KernelExports;
  };
  return { instrument, times };
}
