// Fetches the demo set (public/data/mnist-demo) inside the worker. Paths are relative to the
// app's base URL so the app works under any prefix.
export interface DemoSet {
  count: number;
  height: number;
  width: number;
  channels: number;
  images: Uint8Array;
  labels: Uint8Array;
}

const base = (): string => new URL(import.meta.env.BASE_URL, self.location.origin).href;

async function fetchBytes(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`Could not load ${url}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

export async function fetchDemoSet(name: 'calibration' | 'test'): Promise<DemoSet> {
  const dir = new URL('data/mnist-demo/', base()).href;
  const manifest = await (await fetch(dir + 'manifest.json')).json();
  const set = manifest.sets[name];
  const [images, labels] = await Promise.all([fetchBytes(dir + set.images), fetchBytes(dir + set.labels)]);
  return { count: set.count, height: manifest.height, width: manifest.width, channels: manifest.channels, images, labels };
}
