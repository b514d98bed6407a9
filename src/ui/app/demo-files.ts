// The embedded demo (public/models/lenet5-mnist, public/data/mnist-demo) fetched as the files a
// person would drop, so the demo takes exactly the path of a user's own files.
import type { FileEntry } from '../../worker/contract.ts';

/** The demo model and data as the files a person would drop. */
export async function fetchDemoFiles(): Promise<{ model: FileEntry[]; data: FileEntry[] }> {
  const base = import.meta.env.BASE_URL;
  const get = async (path: string, as: string): Promise<FileEntry> => {
    const res = await fetch(`${base}${path}`);
    if (!res.ok) throw new Error(`Could not load the demo (${path}: HTTP ${res.status}).`);
    return { path: as, data: new Uint8Array(await res.arrayBuffer()) };
  };
  const modelJson = await get('models/lenet5-mnist/model.json', 'lenet5-mnist/model.json');
  const manifest = JSON.parse(new TextDecoder().decode(modelJson.data));
  const shards = manifest.weightsManifest.flatMap((g: { paths: string[] }) => g.paths) as string[];
  const model = [modelJson, ...(await Promise.all(shards.map((p) => get(`models/lenet5-mnist/${p}`, `lenet5-mnist/${p}`))))];
  const dataManifest = await get('data/mnist-demo/manifest.json', 'mnist-demo/manifest.json');
  const sets = Object.values(JSON.parse(new TextDecoder().decode(dataManifest.data)).sets) as { images: string; labels: string }[];
  const names = sets.flatMap((s) => [s.images, s.labels]);
  const data = [dataManifest, ...(await Promise.all(names.map((p) => get(`data/mnist-demo/${p}`, `mnist-demo/${p}`))))];
  return { model, data };
}
