// Step 5: downloads. Writers run in the worker; several files of one kind come as one zip, and
// each button names the zip it saves and the files inside, so nothing arrives unannounced.
import { useEffect, useRef, useState } from 'react';
import { zipSync } from 'fflate';
import type { CMemory, ExportFile } from '../../worker/contract.ts';
import { errorText } from '../common/format.ts';

interface Props {
  modelName: string;
  fetchFiles(kinds: string[]): Promise<ExportFile[]>;
  /** Memory of the C download, asked again whenever `result` changes. */
  fetchCMemory?: () => Promise<CMemory>;
  result?: unknown;
}

interface Kind {
  /** Export kinds the worker writes (src/app/exports.ts). */
  kinds: string[];
  label: string;
  /** The zip's name after the model's name. */
  zip: string;
  holds: string;
}

const KINDS: Kind[] = [
  { kinds: ['json'], zip: 'fxp', label: 'Quantized weights', holds: 'model.fxp.json (graph, formats, layout) and model.fxp.bin (integers packed at their bit widths)' },
  { kinds: ['c'], zip: 'c', label: 'C99 reference', holds: 'c/ with model_q.h, model_q.c, test_vectors.h, test_main.c, bench_main.c, Makefile, README.md; make test checks it bit for bit' },
  { kinds: ['tfjs'], zip: 'tfjs', label: 'TensorFlow.js model', holds: 'tfjs/ with model.json, model.weights.bin (the quantized values, as float) and README.md' },
  { kinds: ['report'], zip: 'report', label: 'Report', holds: 'report.json and layers.csv' },
];
const ALL: Kind = { kinds: KINDS.flatMap((k) => k.kinds), zip: 'all', label: 'Download all', holds: 'everything above in one zip' };

const zipName = (modelName: string, k: Kind) => `${modelName}-${k.zip}.zip`;

function save(name: string, data: Uint8Array | string, mime: string) {
  const blob = new Blob([typeof data === 'string' ? data : new Uint8Array(data)], { type: mime });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

const bytes = (n: number) => `${n.toLocaleString('en-US')} bytes`;

/** Flash and RAM of the C download, as its model_q.h states them. */
export function cMemoryText(m: CMemory): string {
  return `On a device: ${bytes(m.flash)} of flash (parameters packed at their bit widths), ${bytes(m.arena + m.input)} of RAM ` +
    `(${bytes(m.arena)} of activations + the ${bytes(m.input)} input image)${m.stack ? `, ${bytes(m.stack)} of stack for unpacked weights` : ''}.`;
}

/** The C download's memory for the current result; null while asked. */
function useCMemory(fetch: Props['fetchCMemory'], result: unknown): string | null {
  const [text, setText] = useState<string | null>(null);
  const ask = useRef(fetch);
  ask.current = fetch;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new result is the reason to ask again; the function asked is read through the ref
  useEffect(() => {
    if (!ask.current) return;
    let live = true;
    setText(null);
    ask.current().then((m) => { if (live) setText(cMemoryText(m)); }, (e: unknown) => { if (live) setText(`Memory on a device unknown: ${errorText(e)}`); });
    return () => { live = false; };
  }, [result]);
  return text;
}

export function ExportPanel({ modelName, fetchFiles, fetchCMemory, result }: Props) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const cMemory = useCMemory(fetchCMemory, result);
  const download = async (k: Kind) => {
    setBusy(k.zip);
    setError(null);
    try {
      const files = await fetchFiles(k.kinds);
      const enc = new TextEncoder();
      const zip = zipSync(Object.fromEntries(files.map((f) => [f.name, typeof f.data === 'string' ? enc.encode(f.data) : f.data])));
      save(zipName(modelName, k), zip, 'application/zip');
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  };
  return (
    <section className="panel" data-testid="export-panel" aria-labelledby="exp-h">
      <h2 id="exp-h">5. Download</h2>
      <div className="downloads">
        {[...KINDS, ALL].map((k) => (
          <button key={k.zip} type="button" className={k === ALL ? '' : 'secondary'} disabled={busy !== null} onClick={() => void download(k)} data-testid={`download-${k.zip}`}>
            {busy === k.zip ? 'Preparing…' : k.label}<br />
            <small><span data-testid="zip-name">{zipName(modelName, k)}</span>: {k.holds}</small>
            {k.zip === 'c' && cMemory && <><br /><small data-testid="c-memory">{cMemory}</small></>}
          </button>
        ))}
      </div>
      {error && <p className="error" role="alert" data-testid="export-error">{error}</p>}
    </section>
  );
}
