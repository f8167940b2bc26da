// One scored image: the panels, its scores, and where it falls on the score distribution.
import { useMemo } from 'react';
import { useReloadOn, useRequest } from '../state/api-context';
import { useWorkspace } from '../state/workspace';
import { DecisionBadge, LabelBadge, TrainedBadge } from './LabelBadge';
import { ErrorNotice } from './Notice';
import { ScoreHistogram, fromServerHistogram, type Marker } from './ScoreHistogram';
import { cssVar } from './UPlotChart';
import { digitsToTellApart, formatDate, formatNumber, formatScore } from './format';
import { ZoomPanels } from './ZoomPanels';
import { cropText } from './model-text';
import { describeLeftOut, describeRegion, type ReviewRow } from '../api/client';

export function CompareView({ modelId, imageId, compact = false }: { modelId: number; imageId: number; compact?: boolean }) {
  const ws = useWorkspace();
  const res = useRequest('results.image', { modelId, imageId });
  const hist = useRequest('results.histogram', { modelId, bins: 40 });
  useReloadOn(ws.projectId, ['reviews', 'thresholds'], res.reload);
  const r = res.data;
  const h = useMemo(() => (hist.data ? fromServerHistogram(hist.data) : null), [hist.data]);
  const markers = useMemo<Marker[]>(() => {
    if (!r) return [];
    const m: Marker[] = [{ value: r.score, colour: cssVar('--c-text', '#111'), label: 'this image' }];
    if (r.threshold !== null) m.push({ value: r.threshold, colour: cssVar('--c-defect', '#d9534f'), label: 'threshold', dashed: true });
    return m;
  }, [r]);

  if (res.error) return <ErrorNotice error={res.error} onRetry={res.reload} />;
  if (!r) return <p className="muted">Loading image…</p>;
  const latest = r.reviews[0] ?? null; // newest first, as the store's history
  return (
    <div className="stack">
      <div className="row spread">
        <div>
          <h2 className="ellipsis" title={r.image.path}>{r.image.name}</h2>
          <div className="muted small ellipsis" title={r.image.path}>{r.image.path}</div>
        </div>
        <div className="row">
          <LabelBadge label={r.image.label} split={r.image.split} />
          <TrainedBadge trained={r.trained} />
          {r.threshold === null ? (
            <span className="badge" title="Set a threshold to flag parts">no threshold</span>
          ) : r.flagged ? <span className="badge bad">flagged</span> : r.uncertain ? <span className="badge warn">uncertain</span> : <span className="badge ok">not flagged</span>}
          <DecisionBadge decision={latest?.decision} review={latest} />
          {r.shift?.differs ? (
            <span className="badge warn" data-testid="differs-as-a-whole"
              title="This part differs from the good parts held out of training as a whole, not only at one spot: another camera, lighting or part type? Its score may say more about the capture than about a defect.">
              differs as a whole
            </span>
          ) : null}
        </div>
      </div>
      {/* A model with an inspection region saw only that part, left-out areas filled: the original is shown so, as the maps are. */}
      <ZoomPanels urls={{ original: r.urls.region ?? r.urls.original, recon: r.urls.recon, diff: r.urls.diff }} name={r.image.name} />
      <div className={compact ? 'stack' : 'two-col'}>
        <section className="card">
          <h3>Scores</h3>
          <dl className="stats">
            <div><dt>Score ({r.scoreKind})</dt><dd>{formatScore(r.score, digitsToTellApart([r.score, r.threshold]))}</dd></div>
            <div><dt>Scored on</dt><dd>{r.patchScale == null ? (r.region ? 'the whole region' : 'the whole image') : `its worst patch, ${cropText(r.patchScale, r.isize)}`}</dd></div>
            {r.region ? <div><dt>Inspection region</dt><dd data-testid="compare-region">{describeRegion(r.region)}</dd></div> : null}
            {r.leaveOut ? <div><dt>Left out</dt><dd data-testid="compare-left-out">{describeLeftOut(r.leaveOut)} (filled with each image's mean)</dd></div> : null}
            <div><dt>Calibrated (robust z)</dt><dd>{formatNumber(r.calibrated, 2)}</dd></div>
            <div><dt>Percentile of validation</dt><dd>{r.percentile === null ? '—' : `${formatNumber(r.percentile, 1)}`}</dd></div>
            <div><dt>Rank</dt><dd>{r.rank} of {formatNumber(r.total)}</dd></div>
            <div><dt>Threshold</dt><dd>{formatScore(r.threshold, digitsToTellApart([r.score, r.threshold]))}</dd></div>
            {r.shift ? (
              <div title="The median of the image's deviation from the mean good image, against the good parts' own spread: blind to a small defect, high when the whole image differs">
                <dt>Capture shift</dt><dd>{formatNumber(r.shift.value, 3)} <span className="muted small">(limit {formatNumber(r.shift.limit, 3)})</span></dd>
              </div>
            ) : null}
          </dl>
          <table className="list-table compact" aria-label="Raw scores">
            <tbody>
              {Object.entries(r.raw).map(([k, v]) => (
                <tr key={k}><th>{k}</th><td className="num">{formatNumber(v, 5)}</td></tr>
              ))}
            </tbody>
          </table>
          {r.reviews.length > 0 ? (
            <details>
              <summary>Review history ({r.reviews.length})</summary>
              <ul className="plain small">{r.reviews.map((rv) => <li key={rv.id}>{reviewLine(rv)}</li>)}</ul>
            </details>
          ) : null}
          {r.reviewsBefore.length > 0 ? (
            <details data-testid="reviews-before">
              <summary>Reviewed before its folder was taken out ({r.reviewsBefore.length})</summary>
              {r.countedAs ? (
                <p className="muted small">Until it is reviewed again, a new model’s training set counts it as {r.countedAs}, as it was when it went.</p>
              ) : null}
              <ul className="plain small">
                {r.reviewsBefore.map((rv) => <li key={rv.id}>{reviewLine(rv)} · taken out {formatDate(rv.removedAt)}</li>)}
              </ul>
            </details>
          ) : null}
        </section>
        <section className="card">
          <h3>Where it falls</h3>
          {h ? <ScoreHistogram hist={h} markers={markers} height={compact ? 150 : 200} ariaLabel="Score distribution with this image marked" /> : <p className="muted">Loading distribution…</p>}
        </section>
      </div>
    </div>
  );
}

/** One review as the history lists it: when, what, who, why. */
function reviewLine(rv: ReviewRow): string {
  return `${formatDate(rv.createdAt)} · ${rv.decision ?? 'cleared'}${rv.reverts ? ' (undo)' : ''}${rv.reviewer ? ` by ${rv.reviewer}` : ''}${rv.note ? ` — ${rv.note}` : ''}`;
}
