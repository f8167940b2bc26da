// Threshold: the histogram with the threshold drawn, a slider whose every move updates the counts
// and the ranking's flags at once (computed here), suggestions (best F1, a percentile of the validation scores,
// the share of known defects to catch), and saving with history.
import { useEffect, useMemo, useState } from 'react';
import type { SuggestMethod, ThresholdRow, ThresholdSource } from '../api/client';
import { useApi, useReloadOn, useRequest } from '../state/api-context';
import { useWorkspace } from '../state/workspace';
import { navigate } from '../state/route';
import { DEFAULT_FILTERS, setRememberedFilters } from '../state/result-filters';
import { EmptyState, ErrorNotice } from '../components/Notice';
import { ScoreHistogram, type Marker } from '../components/ScoreHistogram';
import { cssVar } from '../components/UPlotChart';
import { digitsToTellApart, formatDate, formatScore } from '../components/format';
import { ThresholdFiguresView } from './ThresholdFigures';
import { batchesOf, figuresAt, hasTruth, histogram, percentile, scoreSetOf, sliderDomain } from './threshold-math';
import { BatchFlagRates } from './BatchFlagRates';
import { thresholdSourceText } from '../components/model-text';

export function ThresholdScreen() {
  const model = useWorkspace().model;
  if (!model || model.scoredCount === 0) {
    return (
      <EmptyState title="No scores to set a threshold on" action={<a className="button primary" href="#/train">Train and score a model</a>}>
        The threshold decides which parts get flagged; it needs a model that has scored images.
      </EmptyState>
    );
  }
  // One editor per model: another model's scores, start value and suggestion must not carry over (a
  // request whose input changes keeps its old answer until the new one arrives).
  return <ThresholdEditor key={model.id} modelId={model.id} />;
}

function ThresholdEditor({ modelId }: { modelId: number }) {
  const client = useApi();
  const ws = useWorkspace();
  const scores = useRequest('results.scores', { modelId });
  const state = useRequest('thresholds.get', { modelId });
  useReloadOn(ws.projectId, ['scores', 'reviews', 'images'], scores.reload); // images: imports make lots
  useReloadOn(ws.projectId, ['thresholds'], state.reload);
  const [value, setValue] = useState<number | null>(null);
  const [lower, setLower] = useState<number | null>(null);
  const [source, setSource] = useState<ThresholdSource>('manual');
  const [basis, setBasis] = useState<string | null>(null);
  const [pct, setPct] = useState(99);
  const [catchPct, setCatchPct] = useState(95);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  const set = useMemo(() => (scores.data ? scoreSetOf(scores.data) : null), [scores.data]);
  const domain = useMemo(() => (set ? sliderDomain(set) : null), [set]);
  const hist = useMemo(() => (set ? histogram(set, 60) : null), [set]);
  const batches = useMemo(() => (scores.data ? batchesOf(scores.data) : []), [scores.data]);

  // Start from the preview, else the saved threshold, else the 95th percentile of the scores.
  const current = state.data?.current ?? null;
  useEffect(() => {
    if (value !== null || !set || !state.data) return;
    const start = ws.preview ?? current ?? null;
    if (start) {
      setValue(start.value);
      setLower(start.lower);
    } else if (set.all.length) setValue(percentile(set.all, 95));
  }, [set, state.data, current, ws.preview, value]);

  const move = (v: number, lo: number | null, src: ThresholdSource = 'manual') => {
    setValue(v);
    setLower(lo !== null && lo > v ? v : lo);
    setSource(src);
    setSaved(false);
    if (src === 'manual') setBasis(null);
    ws.setPreview({ modelId, value: v, lower: lo });
  };
  const suggest = async (method: SuggestMethod) => {
    setError(null);
    try {
      const s = await client.call('thresholds.suggest', { modelId, method, percentile: pct, recall: catchPct });
      move(s.value, lower, method);
      setBasis(s.basis);
    } catch (e) {
      setError(e);
    }
  };
  const save = async () => {
    if (value === null) return;
    setError(null);
    try {
      await client.call('thresholds.set', { modelId, value, lower, source });
      ws.setPreview(null);
      setSaved(true);
      state.reload();
    } catch (e) {
      setError(e);
    }
  };

  if (scores.error) return <ErrorNotice error={scores.error} onRetry={scores.reload} />;
  if (!set || !domain || !hist || value === null) return <p className="muted">Loading scores…</p>;

  const f = figuresAt(set, value, lower);
  const labelled = hasTruth(set);
  // As many digits as one slider step and the histogram's bins need to read differently.
  const digits = digitsToTellApart([...hist.edges, value, value - domain.step, value + domain.step, lower]);
  const markers: Marker[] = [{ value, colour: cssVar('--c-defect', '#d9534f'), label: `flag ≥ ${formatScore(value, digits)}` }];
  if (lower !== null) markers.push({ value: lower, colour: cssVar('--c-warn', '#d97706'), label: 'uncertain ≥', dashed: true });
  const dirty = !current || current.value !== value || current.lower !== lower;
  // A lot's flagged parts in Results, flagged at the threshold on the screen (previewed there when not saved).
  const showLot = (lot: { id: number; name: string }) => {
    if (dirty) ws.setPreview({ modelId, value, lower });
    setRememberedFilters({ ...DEFAULT_FILTERS, flagged: true, notTrained: true, lot });
    navigate('results');
  };
  // The lots regroup by the new day; the project list (which carries it) reloads on the change event.
  const setDayStart = async (dayStart: string) => {
    await client.call('projects.setDayStart', { projectId: ws.projectId!, dayStart });
    scores.reload();
  };

  return (
    <div className="stack">
      <div className="screen-head">
        <h1>Threshold</h1>
        <p className="muted">Parts scoring at or above the threshold are flagged. Drag the slider or click the histogram; everything below follows at once.</p>
      </div>
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
      <section className="card">
        <ScoreHistogram hist={hist} markers={markers} height={240} onPick={(v) => move(v, lower)} ariaLabel="Score histogram with the threshold" />
        <div className="slider-row">
          <label className="grow">
            <span>Threshold</span>
            <input type="range" min={domain.min} max={domain.max} step={domain.step} value={value} onChange={(e) => move(Number(e.target.value), lower)} aria-label="Threshold" data-testid="threshold-slider" />
          </label>
          <input className="num-input" type="number" step={domain.step} value={Number(value.toPrecision(6))} onChange={(e) => e.target.value !== '' && move(Number(e.target.value), lower)} aria-label="Threshold value" />
        </div>
        <div className="slider-row">
          <label className="check">
            <input type="checkbox" checked={lower !== null} onChange={(e) => move(value, e.target.checked ? Math.max(domain.min, value - (domain.max - domain.min) * 0.1) : null, source)} />
            Uncertain band (sent to review)
          </label>
          {lower !== null ? (
            <label className="grow">
              <span className="sr-only">Lower threshold</span>
              <input type="range" min={domain.min} max={value} step={domain.step} value={lower} onChange={(e) => move(value, Number(e.target.value), source)} aria-label="Lower threshold" />
            </label>
          ) : null}
          {lower !== null ? <span className="num small">{formatScore(lower, digits)}</span> : null}
        </div>
      </section>
      <div className="two-col">
        <section className="card">
          <ThresholdFiguresView f={f} labelled={labelled} />
        </section>
        <section className="card stack">
          <h3>Suggestions</h3>
          <div className="row">
            <button onClick={() => suggest('best-f1')} disabled={!labelled} title={labelled ? '' : 'Needs good and defect labels or reviews'}>Best F1</button>
            <button onClick={() => suggest('percentile')} disabled={!(pct >= 50 && pct <= 100)}
              title={pct >= 50 && pct <= 100 ? '' : 'Give a percentile from 50 to 100'}>Percentile of validation</button>
            <label className="picker">
              <input className="num-input short" type="number" min={50} max={100} step={0.5} value={pct} onChange={(e) => setPct(Number(e.target.value))} aria-label="Percentile" />
              <span className="muted">th</span>
            </label>
          </div>
          <div className="row">
            <button onClick={() => suggest('recall')} disabled={!set.defect.length || !(catchPct >= 50 && catchPct <= 100)}
              title={!set.defect.length ? 'Needs defect labels or reviews' : catchPct >= 50 && catchPct <= 100 ? '' : 'Give a share from 50 to 100 %'}>Catch known defects</button>
            <label className="picker">
              <input className="num-input short" type="number" min={50} max={100} step={1} value={catchPct} onChange={(e) => setCatchPct(Number(e.target.value))} aria-label="Share of known defects to catch" />
              <span className="muted">%</span>
            </label>
          </div>
          {basis ? <p className="muted small" data-testid="suggestion-basis">{basis}</p> : null}
          <div className="row">
            <button className="primary" onClick={save} disabled={!dirty && saved}>Save threshold</button>
            {ws.preview ? <span className="badge warn">not saved</span> : saved ? <span className="badge ok">saved</span> : null}
          </div>
          <History rows={state.data?.history ?? []} onApply={(r) => move(r.value, r.lower, r.source)} />
        </section>
      </div>
      <BatchFlagRates batches={batches} lots={scores.data?.lots ?? []} threshold={value} onShow={showLot}
        dayStart={ws.projects.find((p) => p.id === ws.projectId)?.dayStart ?? '00:00'} onDayStart={setDayStart} />
    </div>
  );
}

function History({ rows, onApply }: { rows: ThresholdRow[]; onApply: (r: ThresholdRow) => void }) {
  if (rows.length === 0) return <p className="muted small">No threshold saved for this model yet.</p>;
  const digits = digitsToTellApart(rows.flatMap((r) => [r.value, r.lower]));
  return (
    <details open>
      <summary>History ({rows.length})</summary>
      <table className="list-table compact" aria-label="Threshold history">
        <thead><tr><th>Saved</th><th className="num">Threshold</th><th className="num">Lower</th><th>Source</th><th /></tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td className="small">{formatDate(r.createdAt)}</td>
              <td className="num">{formatScore(r.value, digits)}</td>
              <td className="num">{formatScore(r.lower, digits)}</td>
              <td>{thresholdSourceText(r.source)}</td>
              <td><button className="ghost small" onClick={() => onApply(r)}>Use</button></td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
