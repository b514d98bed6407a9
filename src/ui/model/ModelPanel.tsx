// Step 1: the model. A drop zone for every supported format and the layer table.
import type { FileEntry, ModelInfo } from '../../worker/contract.ts';
import { DropZone } from '../common/DropZone.tsx';
import { ScrollTable } from '../common/ScrollTable.tsx';
import { big } from '../common/format.ts';

interface Props {
  model: ModelInfo | null;
  busy: boolean;
  error: string | null;
  onFiles(files: Promise<FileEntry[]>): void;
  onDemo(): void;
}

const range = (r: [number, number] | null) => (r ? `${r[0].toPrecision(3)} … ${r[1].toPrecision(3)}` : '—');

export function ModelPanel({ model, busy, error, onFiles, onDemo }: Props) {
  return (
    <section className="panel" data-testid="model-panel" aria-labelledby="model-h">
      <h2 id="model-h">1. Model</h2>
      <div className="row">
        <DropZone
          testId="model-drop" label="Drop a model here" busy={busy} onFiles={onFiles}
          accept=".json,.bin,.h5,.hdf5,.keras,.onnx,.zip"
          hint={<>TensorFlow.js <code>model.json</code> with its weight files, Keras <code>.h5</code> / <code>.keras</code>, or ONNX <code>.onnx</code></>}
        />
        <button type="button" className="secondary" onClick={onDemo} disabled={busy}>Use the demo (LeNet-5, MNIST)</button>
      </div>
      {error && <p className="error" role="alert" data-testid="model-error">{error}</p>}
      {busy && <p role="status" data-testid="model-reading">Reading the model…</p>}
      {/* The old table goes at once: it no longer describes what is being loaded. */}
      {model && !busy && (
        <>
          <p data-testid="model-summary">
            <strong>{model.name}</strong>: input {model.inputShape.join('×')}, {model.nodes.length} nodes,{' '}
            {model.params.toLocaleString('en')} parameters, {big(model.macs)} multiply-accumulates per image.
          </p>
          {model.notes.length > 0 && <ul className="notes">{model.notes.map((n) => <li key={n}>{n}</li>)}</ul>}
          <ScrollTable
            testId="layer-table"
            head={<tr><th>#</th><th>layer</th><th>kind</th><th>output</th><th>params</th><th>MACs</th><th>weights</th><th>activations</th></tr>}
          >
            {model.nodes.map((n) => (
              <tr key={n.index}>
                <td>{n.index}</td>
                <td>{n.name}</td>
                <td>{n.kind}{n.activation && n.activation !== 'linear' ? ` + ${n.activation}` : ''}{n.epilogue ? ' + BN' : ''}</td>
                <td>{n.shape.join('×')}</td>
                <td>{n.params ? n.params.toLocaleString('en') : ''}</td>
                <td>{n.macs ? big(n.macs) : ''}</td>
                <td>{range(n.weightRange)}</td>
                <td>{range(n.outputRange)}</td>
              </tr>
            ))}
          </ScrollTable>
        </>
      )}
    </section>
  );
}
