// Step 5: downloads. Writers run in the worker; several files of one kind come as one zip.
import { useState } from 'react';
import { zipSync } from 'fflate';
import type { ExportFile } from '../../worker/contract.ts';
import { errorText } from '../common/format.ts';

interface Props {
  modelName: string;
  fetchFiles(kind: string): Promise<ExportFile[]>;
}

const KINDS = [
  { kind: 'json', label: 'Quantized weights', detail: 'model.fxp.json + packed model.fxp.bin' },
  { kind: 'c', label: 'C99 reference', detail: 'model_q.h/.c, test vectors, Makefile: make test checks bit-exactness' },
  { kind: 'tfjs', label: 'TensorFlow.js model', detail: 'model.json + weights with the quantized values' },
  { kind: 'report', label: 'Report', detail: 'report.json and layers.csv' },
];

const MIME: Record<string, string> = { zip: 'application/zip', json: 'application/json', csv: 'text/csv', h: 'text/x-c', c: 'text/x-c', md: 'text/markdown' };
const mimeOf = (name: string) => MIME[name.split('.').pop() ?? ''] ?? 'application/octet-stream';

function save(name: string, data: Uint8Array | string) {
  const blob = new Blob([typeof data === 'string' ? data : new Uint8Array(data)], { type: mimeOf(name) });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

export function ExportPanel({ modelName, fetchFiles }: Props) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const download = async (kind: string) => {
    setBusy(kind);
    setError(null);
    try {
      const files = await fetchFiles(kind);
      if (files.length === 1) save(files[0].name, files[0].data);
      else {
        const enc = new TextEncoder();
        const zip = zipSync(Object.fromEntries(files.map((f) => [f.name, typeof f.data === 'string' ? enc.encode(f.data) : f.data])));
        save(`${modelName}-${kind}.zip`, zip);
      }
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
        {KINDS.map((k) => (
          <button key={k.kind} type="button" className="secondary" disabled={busy !== null} onClick={() => void download(k.kind)} data-testid={`download-${k.kind}`}>
            {busy === k.kind ? 'Preparing…' : k.label}<br /><small>{k.detail}</small>
          </button>
        ))}
      </div>
      {error && <p className="error" role="alert" data-testid="export-error">{error}</p>}
    </section>
  );
}
