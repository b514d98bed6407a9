// The page: model → data → search → result → downloads. State that the worker holds is
// mirrored here only as what is shown; a failed step keeps everything the user already had.
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DataInfo, FileEntry, Method, ModelInfo, Preprocessing, Progress, ResultPoint, RunView } from '../../worker/contract.ts';
import { errorText } from '../common/format.ts';
import { DataPanel } from '../data/DataPanel.tsx';
import { ModelPanel } from '../model/ModelPanel.tsx';
import { RunPanel } from '../run/RunPanel.tsx';
import { EngineStatus } from '../status/EngineStatus.tsx';
import { EngineSession, RunCancelled, defaultWorkers, fetchDemoFiles } from './engine-session.ts';
import { ErrorBoundary } from './ErrorBoundary.tsx';

type Busy = null | 'model' | 'data' | 'run';

// Charts and zip writing load with the first result, keeping the first page small.
const ResultsPanel = lazy(() => import('../results/ResultsPanel.tsx').then((m) => ({ default: m.ResultsPanel })));
const ExportPanel = lazy(() => import('../export/ExportPanel.tsx').then((m) => ({ default: m.ExportPanel })));

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
  const [workers, setWorkers] = useState(defaultWorkers);
  /** The current run's number; a cancel bumps it, so a cancelled run can no longer touch the page. */
  const runSeq = useRef(0);
  const running = useRef(false);

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

  /** Stops a running search (the worker's model and data are about to change), saying so. */
  const cancel = useCallback((why = 'Search cancelled. Model and data are still loaded.') => {
    runSeq.current++;
    running.current = false;
    setErrors((x) => ({ ...x, run: why }));
    setBusy(null);
    setProgress(null);
    // The worker's next call waits until the old workers are gone and model and data are back.
    session.cancel().catch((e: unknown) => setErrors((x) => ({ ...x, run: errorText(e) })));
  }, [session]);

  /** `to` says why, e.g. "load the new model": the page tells which search was stopped for what. */
  const stopSearchTo = (to: string) => {
    if (running.current) cancel(`Search cancelled to ${to}. Run it again when ready.`);
  };

  // Files still being read (a large .h5 takes seconds): the panel says so from the first moment.
  const loadModel = useCallback(async (reading: Promise<FileEntry[]>) => {
    stopSearchTo('load the new model');
    await step('model', 'model', async () => {
      const files = await reading;
      if (files.length === 0) return;
      setModel(await session.loadModel(files));
      forgetRun();
      // The worker re-preprocessed the data already loaded for the new model's input.
      setData(await session.api.dataInfo());
    });
  }, [session, step, cancel]);

  const loadData = useCallback(async (reading: Promise<FileEntry[]>) => {
    stopSearchTo('load the new data set');
    await step('data', 'data', async () => {
      const files = await reading;
      if (files.length === 0) return;
      setData(await session.loadData(files, prep));
      // With data the layer table gains activation ranges.
      setModel(await session.api.modelInfo());
      forgetRun();
    });
  }, [session, step, prep, cancel]);

  const loadDemo = useCallback(async () => {
    stopSearchTo('load the demo');
    await step('model', 'model', async () => {
      setErrors((x) => ({ ...x, data: null }));
      const demo = await fetchDemoFiles();
      setModel(await session.loadModel(demo.model));
      setBusy('data');
      setPrep({});
      setData(await session.loadData(demo.data, {}));
      setModel(await session.api.modelInfo());
      forgetRun();
    });
  }, [session, step, cancel]);

  useEffect(() => { void loadDemo(); }, [loadDemo]);

  // Leaving or reloading the page ends a search: the browser asks first.
  useEffect(() => {
    if (busy !== 'run') return;
    const ask = (e: BeforeUnloadEvent) => { e.preventDefault(); e.returnValue = ''; };
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [busy]);

  const changePrep = async (p: Preprocessing) => {
    stopSearchTo('apply the new preprocessing');
    await step('data', 'data', async () => {
      setData(await session.reprocess(p));
      setPrep(p);
      setModel(await session.api.modelInfo());
      forgetRun();
    });
  };

  // Not a `step`: a cancelled run must never reset the state of the run that follows it.
  const startRun = async () => {
    const seq = ++runSeq.current;
    const current = () => seq === runSeq.current;
    running.current = true;
    setBusy('run');
    setErrors((x) => ({ ...x, run: null }));
    setProgress(null);
    try {
      const r = await session.run({ method, budget, workers }, (p) => { if (current()) setProgress(p); });
      if (!current()) return;
      setRun(r);
      setPicked(r.chosen);
    } catch (e) {
      if (current() && !(e instanceof RunCancelled)) fail('run', e);
    } finally {
      if (current()) {
        running.current = false;
        setBusy(null);
        setProgress(null);
      }
    }
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
            onFiles={(f) => void loadData(f)} onPrep={(p) => void changePrep(p)} />
        </ErrorBoundary>
        <ErrorBoundary>
          <RunPanel budget={budget} method={method} ready={!!model && !!data && busy === null} running={busy === 'run'}
            hasResult={!!run} progress={progress} error={errors.run ?? null} workers={workers} onWorkers={setWorkers}
            onBudget={(b) => void changeBudget(b)} onMethod={setMethod} onRun={() => void startRun()} onCancel={() => void cancel()} />
        </ErrorBoundary>
        <Suspense fallback={<p className="panel" role="status">Loading the result view…</p>}>
          {run && (
            <ErrorBoundary>
              <ResultsPanel run={run} picked={picked} budget={budget} />
            </ErrorBoundary>
          )}
          {run && picked && model && (
            <ErrorBoundary>
              <ExportPanel modelName={model.name} fetchFiles={(k) => session.api.exportFiles(k)} />
            </ErrorBoundary>
          )}
        </Suspense>
        <ErrorBoundary>
          <EngineStatus client={session.client} />
        </ErrorBoundary>
      </main>
    </div>
  );
}
