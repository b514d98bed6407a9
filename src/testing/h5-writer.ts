// Test support: writes HDF5 files with h5wasm (jsfive, used by the importer, only reads).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import h5wasm from 'h5wasm/node';

export type H5File = InstanceType<typeof h5wasm.File>;
export type H5WGroup = ReturnType<H5File['create_group']>;

export async function writeH5(build: (f: H5File) => void): Promise<Uint8Array> {
  await h5wasm.ready;
  const dir = mkdtempSync(join(tmpdir(), 'fixpoint-h5-'));
  const path = join(dir, 'x.h5');
  const f = new h5wasm.File(path, 'w');
  try {
    build(f);
  } finally {
    f.close();
  }
  const data = new Uint8Array(readFileSync(path));
  rmSync(dir, { recursive: true, force: true });
  return data;
}

export function floatDataset(g: H5WGroup | H5File, name: string, values: Float32Array, shape: number[]): void {
  g.create_dataset({ name, data: values, shape, dtype: '<f4' });
}
