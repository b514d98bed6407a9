// The page: model → data → search → result → downloads. State that the worker holds is
// mirrored here only as what is shown; a failed step keeps everything the user already had.
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DataInfo, FileEntry, Format, LayerLock, Method, ModelInfo, NamedConfig, Preprocessing, ResultPoint, RunProgress, RunView, ScoredPoint, SplitSettings, TensorSlot } from '../../worker/contract.ts';
import { namedConfig } from '../../core/report.ts';
import { errorText } from '../common/format.ts';
import { DataPanel } from '../data/DataPanel.tsx';
import { ModelPanel } from '../model/ModelPanel.tsx';
import { RunPanel } from '../run/RunPanel.tsx';
import { EnginePanel } from '../status/EnginePanel.tsx';
import { EngineClient, RunCancelled, defaultWorkers } from '../../worker/client.ts';
import { fetchDemoFiles } from './demo-files.ts';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import { clearSaved, loadSaved, type Saved, save, type Source } from './saved-state.ts';

/** A frontier search walks to max(5%, budget) (src/search/frontier.ts). */
const FRONTIER_WALK = 0.05;

type Busy = null | 'model' | 'data' | 'run' | 'result';

// Charts and zip writing load with the first result, keeping the first page small.
// The live charts load with the first progress message, for the same reason.
const LiveCharts = lazy(() => import('../live/LiveCharts.tsx').then((m) => ({ default: m.LiveCharts })));
const ResultsPanel = lazy(() => import('../results/ResultsPanel.tsx').then((m) => ({ default: m.ResultsPanel })));
const ExportPanel = lazy(() => import('../export/ExportPanel.tsx').then((m) => ({ default: m.ExportPanel })));

export function App() {
  const session = useMemo(() => new EngineClient(), []);
  const [busy, setBusy] = useState<Busy>(null);
  const [model, setModel] = useState<ModelInfo | null>(null);
  const [data, setData] = useState<DataInfo | null>(null);
  const [prep, setPrep] = useState<Preprocessing>({});
  const [errors, setErrors] = useState<Record<string, string | null>>({});
  const [budget, setBudget] = useState(0.01);
  const [method, setMethod] = useState<Method>('frontier');
  const [progress, setProgress] = useState<RunProgress | null>(null);
  const [run, setRun] = useState<RunView | null>(null);
  const [picked, setPicked] = useState<ResultPoint | null>(null);
  const pickSeq = useRef(0);
  /** Points scored so far by the running search, for the live charts. */
  const [live, setLive] = useState<ScoredPoint[]>([]);
  /** Formats the person fixed: the next search keeps them. */
  const [locks, setLocks] = useState<LayerLock[]>([]);
  /** The shown configuration was edited by hand rather than picked. */
  const [edited, setEdited] = useState(false);
  const [rescoring, setRescoring] = useState(false);
  const [workers, setWorkers] = useState(defaultWorkers);
  /** The current run's number; a cancel bumps it, so a cancelled run can no longer touch the page. */
  const runSeq = useRef(0);
  const running = useRef(false);
  /** False until the work kept from the last visit is back (or found missing): nothing is saved before. */
  const [ready, setReady] = useState(false);

  const fail = (key: string, e: unknown) => setErrors((x) => ({ ...x, [key]: errorText(e) }));

  // The fault-recovery test makes the worker fail as a Wasm trap or exhausted memory would; the
  // page reports it where a failed search is reported.
  useEffect(() => {
    (globalThis as { fixpointFault?: (kind: 'trap' | 'oom') => Promise<void> }).fixpointFault = (kind) =>
      session.fault(kind).catch((e: unknown) => setErrors((x) => ({ ...x, run: errorText(e) })));
  }, [session]);

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

  /** Keeps one part of the work in this browser; a failure (quota, private mode) is said, not fatal. */
  const keep = useCallback(<K extends keyof Saved>(key: K, value: Saved[K] | undefined) => {
    save(key, value).catch((e: unknown) => setErrors((x) => ({
      ...x, saved: `This browser did not keep the ${key} (${errorText(e)}); it will not come back after a reload.`,
    })));
  }, []);

  /** A new model or new data invalidates the last search. */
  const forgetRun = useCallback(() => {
    setRun(null);
    setPicked(null);
    setLocks([]);
    keep('search', undefined);
    keep('picked', undefined);
  }, [keep]);

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
  const stopSearchTo = useCallback((to: string) => {
    if (running.current) cancel(`Search cancelled to ${to}. Run it again when ready.`);
  }, [cancel]);

  // Files still being read (a large .h5 takes seconds): the panel says so from the first moment.
  const loadModel = useCallback(async (reading: Promise<FileEntry[]>) => {
    stopSearchTo('load the new model');
    await step('model', 'model', async () => {
      const files = await reading;
      if (files.length === 0) return;
      setModel(await session.loadModel(files));
      keep('model', { kind: 'files', files });
      forgetRun();
      // The worker re-preprocessed the data already loaded for the new model's input.
      setData(await session.api.dataInfo());
    });
  }, [session, step, keep, forgetRun, stopSearchTo]);

  const loadData = useCallback(async (reading: Promise<FileEntry[]>) => {
    stopSearchTo('load the new data set');
    await step('data', 'data', async () => {
      const files = await reading;
      if (files.length === 0) return;
      setData(await session.loadData(files, prep));
      keep('data', { kind: 'files', files });
      // With data the layer table gains activation ranges.
      setModel(await session.api.modelInfo());
      forgetRun();
    });
  }, [session, step, prep, keep, forgetRun, stopSearchTo]);

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
      keep('model', { kind: 'demo' });
      keep('data', { kind: 'demo' });
      forgetRun();
    });
  }, [session, step, keep, forgetRun, stopSearchTo]);

  /** Loads again what was kept: model, then data with its settings, then the search's result. */
  const restore = useCallback(async (saved: Saved & { model: Source }) => {
    const settings = saved.settings;
    if (settings) {
      setPrep(settings.prep);
      setBudget(settings.budget);
      setMethod(settings.method);
      if (settings.workers) setWorkers(settings.workers);
    }
    const demo = saved.model.kind === 'demo' || saved.data?.kind === 'demo' ? fetchDemoFiles() : null;
    const files = async (src: Source, part: 'model' | 'data') => (src.kind === 'files' ? src.files : (await demo!)[part]);
    // Each part needs the one before; the first that fails says so and the rest stay unloaded.
    const again = (what: string, e: unknown) =>
      new Error(`${what} kept from your last visit could not be loaded again: ${errorText(e).replace(/\.$/, '')}. Load it again, or Clear to start afresh.`);
    let ok = true;
    const part = (kind: Exclude<Busy, null>, key: string, what: string, work: () => Promise<void>) =>
      ok ? step(kind, key, async () => {
        try {
          await work();
        } catch (e) {
          ok = false;
          throw again(what, e);
        }
      }) : Promise.resolve();
    await part('model', 'model', 'The model', async () => {
      setModel(await session.loadModel(await files(saved.model, 'model')));
    });
    if (saved.data) {
      const data = saved.data;
      await part('data', 'data', 'The data', async () => {
        setData(await session.loadData(await files(data, 'data'), settings?.prep ?? {}));
        setModel(await session.api.modelInfo());
      });
    }
    if (saved.data && saved.search) {
      const result = saved.search;
      await part('result', 'run', 'The search result', async () => {
        const back = await session.api.restoreSearch({ result, picked: saved.picked ?? null });
        setRun(back.run);
        setPicked(back.picked);
      });
    }
  }, [session, step]);

  // First the work kept from the last visit; on a first visit (or after Clear) the demo.
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void (async () => {
      const saved = await loadSaved().catch((): Saved => ({}));
      if (saved.model) await restore({ ...saved, model: saved.model });
      else await loadDemo();
      setReady(true);
    })();
  }, [restore, loadDemo]);

  // Settings and the picked configuration are kept whenever they change; the search's whole
  // result once, when it arrives.
  useEffect(() => {
    if (ready && model) keep('settings', { prep, budget, method, workers });
  }, [ready, model, prep, budget, method, workers, keep]);
  useEffect(() => {
    if (!ready || !run) return;
    session.api.savedSearch().then((r) => r && keep('search', r), () => {});
  }, [ready, run, session, keep]);
  useEffect(() => {
    if (ready && run && picked) keep('picked', namedConfig(picked));
  }, [ready, run, picked, keep]);

  // The engine panel asks again whenever what it describes changes.
  const engineInfo = useCallback(() => session.api.engineInfo(), [session]);
  const shown = useMemo(() => ({ model, data, picked }), [model, data, picked]);

  /** Forgets everything: the worker (and any search in it), what is shown and what is kept. */
  const clearAll = async () => {
    runSeq.current++;
    running.current = false;
    session.reset();
    setBusy(null);
    setProgress(null);
    setModel(null);
    setData(null);
    setRun(null);
    setPicked(null);
    setPrep({});
    setBudget(0.01);
    setMethod('frontier');
    setWorkers(defaultWorkers());
    setErrors({});
    await clearSaved().catch((e: unknown) => fail('saved', e));
  };

  // Leaving or reloading the page ends a search: the browser asks first.
  useEffect(() => {
    if (busy !== 'run') return;
    const ask = (e: BeforeUnloadEvent) => { e.preventDefault(); e.returnValue = ''; };
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [busy]);

  const changePrep = async (p: Preprocessing, split?: SplitSettings) => {
    stopSearchTo(split ? 'apply the new split' : 'apply the new preprocessing');
    await step('data', 'data', async () => {
      setData(await session.reprocess(p, split));
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
    setLive([]);
    try {
      const r = await session.run({ method, budget, workers, locked: locks }, (p) => {
        if (!current()) return;
        setProgress(p);
        if (p.points.length) setLive((x) => [...x, ...p.points]);
      });
      if (!current()) return;
      setRun(r);
      setPicked(r.chosen);
      setEdited(false);
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

  /** Shows a configuration the worker scored; the latest request wins. */
  const show = async (get: () => Promise<ResultPoint | null>, byHand: boolean) => {
    const seq = ++pickSeq.current;
    try {
      const p = await get();
      if (seq === pickSeq.current) {
        setPicked(p);
        setEdited(byHand);
      }
    } catch (e) {
      fail('run', e);
    }
  };

  const changeBudget = async (b: number) => {
    setBudget(b);
    if (!run || busy) return;
    await show(() => session.api.pick(b), false);
  };

  /** A point clicked in a chart: chosen as the slider would. */
  const select = (id: number) => { if (!busy) void show(() => session.api.choose(id), false); };

  const rescore = async (config: NamedConfig) => {
    setRescoring(true);
    try {
      await show(() => session.api.evaluate(config), true);
    } finally {
      setRescoring(false);
    }
  };

  const fetchHistogram = useCallback((layer: string, slot: TensorSlot, format: Format | null) => session.api.histogram(layer, slot, format), [session]);

  return (
    <div className="app">
      <header className="app-header">
        <h1>Fixpoint</h1>
        <p className="tagline">Fixed-point quantization of trained CNNs for embedded inference. Everything runs locally in this page: nothing is uploaded.</p>
        <p className="kept hint">
          Your model, data, settings and last result are kept in this browser for your next visit.{' '}
          <button type="button" className="secondary" onClick={() => void clearAll()} data-testid="clear">Clear</button>
        </p>
        {errors.saved && <p className="warning" role="alert" data-testid="saved-error">{errors.saved}</p>}
      </header>
      <main>
        <ErrorBoundary>
          <ModelPanel model={model} busy={busy === 'model'} error={errors.model ?? null} onFiles={(f) => void loadModel(f)} onDemo={() => void loadDemo()} />
        </ErrorBoundary>
        <ErrorBoundary>
          <DataPanel data={data} prep={prep} busy={busy === 'data'} disabled={!model} error={errors.data ?? null}
            channels={model && !(model.inputShape[0] === 1 && model.inputShape[1] === 1) ? model.inputShape[2] : null} hasResult={!!run}
            onFiles={(f) => void loadData(f)} onPrep={(p) => void changePrep(p)} onSplit={(sp) => void changePrep(prep, sp)} />
        </ErrorBoundary>
        <ErrorBoundary>
          <RunPanel budget={budget} method={method} ready={!!model && !!data && busy === null} running={busy === 'run'}
            hasResult={!!run} walkedTo={run && run.method === 'frontier' ? Math.max(FRONTIER_WALK, run.budget) : null} progress={progress} error={errors.run ?? null} workers={workers} onWorkers={setWorkers}
            onBudget={(b) => void changeBudget(b)} onMethod={setMethod} onRun={() => void startRun()} onCancel={() => void cancel()} />
        </ErrorBoundary>
        {busy === 'result' && <p className="panel" role="status" data-testid="restoring">Bringing back the last result…</p>}
        <Suspense fallback={<p className="panel" role="status">Loading the result view…</p>}>
          {busy === 'run' && live.length > 0 && (
            <ErrorBoundary>
              <LiveCharts points={live} budget={budget} reference={run} />
            </ErrorBoundary>
          )}
          {run && busy !== 'run' && (
            <ErrorBoundary>
              <ResultsPanel run={run} picked={picked} budget={budget} edited={edited} locks={locks} rescoring={rescoring}
                onLocks={setLocks} onSelect={select} onRescore={(c) => void rescore(c)} fetchHistogram={fetchHistogram} />
            </ErrorBoundary>
          )}
          {run && picked && model && (
            <ErrorBoundary>
              <ExportPanel modelName={model.name} fetchFiles={(k) => session.api.exportFiles(k)} fetchCMemory={() => session.api.cMemory()} result={picked} />
            </ErrorBoundary>
          )}
        </Suspense>
        <ErrorBoundary>
          <EnginePanel fetchInfo={engineInfo} refresh={shown} idle={busy === null} workers={workers} />
        </ErrorBoundary>
      </main>
    </div>
  );
}
