// The page: model → data → search → result → downloads. State that the worker holds is
// mirrored here only as what is shown; a failed step keeps everything the user already had.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DataInfo, FileEntry, Method, ModelInfo, Preprocessing, Progress, ResultPoint, RunView, SplitSettings } from '../../worker/contract.ts';
import { errorText } from '../common/format.ts';
import { DataPanel } from '../data/DataPanel.tsx';
import { ExportPanel } from '../export/ExportPanel.tsx';
import { ModelPanel } from '../model/ModelPanel.tsx';
import { ResultsPanel } from '../results/ResultsPanel.tsx';
import { RunPanel } from '../run/RunPanel.tsx';
import { EngineStatus } from '../status/EngineStatus.tsx';
import { EngineSession, fetchDemoFiles } from './engine-session.ts';
import { ErrorBoundary } from './ErrorBoundary.tsx';

type Busy = null | 'model' | 'data' | 'run';

export function App() {
  const session = useMemo(() => new EngineSession(), []);
  const [busy, setBusy] = useState<Busy>(null);
  const [model, setModel] = useState<ModelInfo | null>(null);
  const [data, setData] = useState<DataInfo | null>(null);
  const [prep, setPrep] = useState<Preprocessing>({});
  const [errors, setErrors] = useState<Record<string, string | null>>({});
  const [budget, setBudget] = useState(0.01);
  const [method, setMethod] = useState<Method>('frontier');
  const [progress, setProgress] = useState<Progress | null>(null);
  const [run, setRun] = useState<RunView | null>(null);
  const [picked, setPicked] = useState<ResultPoint | null>(null);
  const pickSeq = useRef(0);

  const fail = (key: string, e: unknown) => setErrors((x) => ({ ...x, [key]: errorText(e) }));

  /** One user step: marks the panel busy, clears its old error, shows a new one if it fails. */
  const step = useCallback(async (kind: Exclude<Busy, null>, errorKey: string, work: () => Promise<void>) => {
    setBusy(kind);
    setErrors((x) => ({ ...x, [errorKey]: null }));
    try {
      await work();
    } catch (e) {
      setErrors((x) => ({ ...x, [errorKey]: errorText(e) }));
    } finally {
      setBusy(null);
    }
  }, []);

  /** A new model or new data invalidates the last search. */
  const forgetRun = () => {
    setRun(null);
    setPicked(null);
  };

  const loadModel = useCallback((files: FileEntry[]) => step('model', 'model', async () => {
    setModel(await session.loadModel(files));
    forgetRun();
    // The worker re-preprocessed the data already loaded for the new model's input.
    setData(await session.api.dataInfo());
  }), [session, step]);

  const loadData = useCallback((files: FileEntry[]) => step('data', 'data', async () => {
    setData(await session.loadData(files, prep));
    // With data the layer table gains activation ranges.
    setModel(await session.api.modelInfo());
    forgetRun();
  }), [session, step, prep]);

  const loadDemo = useCallback(() => step('model', 'model', async () => {
    setErrors((x) => ({ ...x, data: null }));
    const demo = await fetchDemoFiles();
    setModel(await session.loadModel(demo.model));
    setBusy('data');
    setPrep({});
    setData(await session.loadData(demo.data, {}));
    setModel(await session.api.modelInfo());
    forgetRun();
  }), [session, step]);

  useEffect(() => { void loadDemo(); }, [loadDemo]);

  const changePrep = (p: Preprocessing, split?: SplitSettings) => step('data', 'data', async () => {
    setData(await session.reprocess(p, split));
    setPrep(p);
    setModel(await session.api.modelInfo());
    forgetRun();
  });

  // A cancelled run's promise never settles (its worker is gone), so cancel() resets the state.
  const startRun = () => step('run', 'run', async () => {
    setProgress(null);
    try {
      const r = await session.run({ method, budget }, setProgress);
      setRun(r);
      setPicked(r.chosen);
    } finally {
      setProgress(null);
    }
  });

  const cancel = async () => {
    setErrors((x) => ({ ...x, run: 'Search cancelled. Model and data are still loaded.' }));
    setBusy(null);
    setProgress(null);
    await session.cancel();
  };

  const changeBudget = async (b: number) => {
    setBudget(b);
    if (!run || busy) return;
    const seq = ++pickSeq.current;
    try {
      const p = await session.api.pick(b);
      if (seq === pickSeq.current) setPicked(p);
    } catch (e) {
      fail('run', e);
    }
  };

  return (
    <div className="app">
      <header className="app-header">
        <h1>Fixpoint</h1>
        <p className="tagline">Fixed-point quantization of trained CNNs for embedded inference. Everything runs locally in this page: nothing is uploaded.</p>
      </header>
      <main>
        <ErrorBoundary>
          <ModelPanel model={model} busy={busy === 'model'} error={errors.model ?? null} onFiles={(f) => void loadModel(f)} onDemo={() => void loadDemo()} />
        </ErrorBoundary>
        <ErrorBoundary>
          <DataPanel data={data} prep={prep} busy={busy === 'data'} disabled={!model} error={errors.data ?? null}
            onFiles={(f) => void loadData(f)} onPrep={(p) => void changePrep(p)} onSplit={(sp) => void changePrep(prep, sp)} />
        </ErrorBoundary>
        <ErrorBoundary>
          <RunPanel budget={budget} method={method} ready={!!model && !!data && busy === null} running={busy === 'run'}
            hasResult={!!run} progress={progress} error={errors.run ?? null}
            onBudget={(b) => void changeBudget(b)} onMethod={setMethod} onRun={() => void startRun()} onCancel={() => void cancel()} />
        </ErrorBoundary>
        {run && (
          <ErrorBoundary>
            <ResultsPanel run={run} picked={picked} budget={budget} />
          </ErrorBoundary>
        )}
        {run && picked && model && (
          <ErrorBoundary>
            <ExportPanel modelName={model.name} fetchFiles={(k) => session.api.exportFiles([k])} />
          </ErrorBoundary>
        )}
        <ErrorBoundary>
          <EngineStatus client={session.client} />
        </ErrorBoundary>
      </main>
    </div>
  );
}
