// TensorFlow.js weight manifests: groups of shards whose concatenated bytes hold the listed
// weights back to back, float32 / int32 / float16, or quantized uint8 / uint16 with min/scale.
import { LIMITS, declaredElements, describeCount } from '../../core/limits.ts';
import { alignedCopy, baseName, dirName, halfToFloat, joinPath, normPath, plural } from '../files.ts';
import type { NamedEntry } from '../keras/weights.ts';
import type { FileEntry } from '../types.ts';

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype?: string;
  quantization?: { dtype: string; min?: number; scale?: number; original_dtype?: string };
}

export interface ManifestGroup {
  paths: string[];
  weights: WeightSpec[];
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, float16: 2, uint8: 1, uint16: 2, int8: 1, int16: 2, bool: 1 };

/** Bytes per element as stored (the quantized type when quantized). */
function storedType(w: WeightSpec): string {
  return w.quantization?.dtype ?? w.dtype ?? 'float32';
}

function decode(bytes: ArrayBuffer, w: WeightSpec, count: number): Float32Array {
  const t = storedType(w);
  const q = w.quantization;
  const out = new Float32Array(count);
  if (t === 'float32') return new Float32Array(bytes);
  if (t === 'int32') { const a = new Int32Array(bytes); for (let i = 0; i < count; i++) out[i] = a[i]; return out; }
  if (t === 'float16') { const a = new Uint16Array(bytes); for (let i = 0; i < count; i++) out[i] = halfToFloat(a[i]); return out; }
  const a = t === 'uint8' ? new Uint8Array(bytes) : t === 'uint16' ? new Uint16Array(bytes) : t === 'int8' ? new Int8Array(bytes) : t === 'int16' ? new Int16Array(bytes) : new Uint8Array(bytes);
  const scale = q?.scale ?? 1;
  const min = q?.min ?? 0;
  for (let i = 0; i < count; i++) out[i] = q ? a[i] * scale + min : a[i];
  return out;
}

/**
 * Named entries for every weight of every group. `modelPath` is model.json's path among the
 * dropped files: shard paths are relative to its folder. Throws via `fail` on a missing shard or
 * a size mismatch.
 */
export function manifestEntries(manifest: unknown, files: FileEntry[], modelPath: string, fail: (m: string) => never): NamedEntry[] {
  if (!Array.isArray(manifest)) return fail('model.json has no weightsManifest list: the weights cannot be found');
  const dir = dirName(modelPath);
  const byPath = new Map(files.map((f) => [normPath(f.path), f]));
  const entries: NamedEntry[] = [];
  manifest.forEach((group: ManifestGroup, gi) => {
    if (!group || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      fail(`weightsManifest group ${gi + 1} lacks its paths or weights list: model.json is corrupt`);
    }
    const shards = group.paths.map((p) => {
      if (typeof p !== 'string') return fail(`weightsManifest group ${gi + 1} lists a weight file that is not a file name: model.json is corrupt`);
      const f = byPath.get(joinPath(dir, p)) ?? files.find((x) => baseName(x.path) === baseName(p));
      if (!f) {
        return fail(`weight file ${p} listed in ${baseName(modelPath)} is missing: drop it together with ${baseName(modelPath)} ` +
          `(all ${plural(group.paths.length, 'shard')} of group ${gi + 1}: ${group.paths.join(', ')})`);
      }
      return f.data;
    });
    const total = shards.reduce((n, s) => n + s.length, 0);
    const data = new Uint8Array(total);
    let o = 0;
    for (const s of shards) { data.set(s, o); o += s.length; }
    let expected = 0;
    const layout = group.weights.map((w, wi) => {
      if (!w || typeof w.name !== 'string' || !w.name) fail(`weight ${wi + 1} of weightsManifest group ${gi + 1} has no name: model.json is corrupt; export or download the model again`);
      const t = storedType(w);
      if (!(t in BYTES)) fail(`weight ${w.name} has dtype ${t}, which is not supported (float32, float16, int32, uint8, uint16)`);
      if (!Array.isArray(w.shape)) fail(`weight ${w.name} has no shape in the manifest`);
      const count = declaredElements(w.shape);
      if (!Number.isFinite(count)) fail(`weight ${w.name} has shape [${w.shape.join(', ')}] in the manifest: every size must be a whole number ≥ 0`);
      if (count > LIMITS.tensorElements) fail(`weight ${w.name} declares ${w.shape.join('×')} = ${describeCount(count)} values; the limit is ${describeCount(LIMITS.tensorElements)} per tensor`);
      const start = expected;
      expected += count * BYTES[t];
      return { w, count, start, bytes: count * BYTES[t] };
    });
    if (expected !== total) {
      fail(`the weight files of group ${gi + 1} (${group.paths.join(', ')}) hold ${total} bytes but the manifest describes ${expected} bytes: ` +
        'a shard is truncated or belongs to another model; export or download the model again');
    }
    for (const { w, count, start, bytes } of layout) {
      entries.push({ name: w.name, shape: w.shape, load: () => decode(alignedCopy(data, start, bytes), w, count) });
    }
  });
  return entries;
}
