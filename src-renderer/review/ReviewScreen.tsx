// Review: flagged and uncertain parts, most anomalous first, judged with the keyboard. Each decision
// is saved at once; undo appends a restoring review on the main side, so the audit trail stays.
import { useCallback, useEffect, useReducer, useRef, useState, useSyncExternalStore } from 'react';
import type { Decision, RankedImage } from '../api/client';
import { useApi, useReloadOn } from '../state/api-context';
import { useWorkspace } from '../state/workspace';
import { onReviewScope, reviewScope, setReviewScope, type ReviewScope } from '../state/review-scope';
import { EmptyState, ErrorNotice, describeError } from '../components/Notice';
import { ProgressBar } from '../components/ProgressBar';
import { CompareView } from '../components/CompareView';
import { QuickThresholdButtons } from '../components/QuickThreshold';
import { ReviewQueueList } from './ReviewQueueList';
import { ReviewerLine } from './ReviewerLine';
import { reviewerName } from '../state/reviewer';
import { REVIEW_KEY_HELP, reviewKeyAction } from './review-keys';
import { currentItem, initialReview, reviewProgress, reviewReducer, type ReviewAction } from './review-queue';

const PAGE = 500;
const MAX_ITEMS = 20_000;

export function ReviewScreen() {
  const ws = useWorkspace();
  const model = ws.model;
  if (!model || model.scoredCount === 0) {
    return (
      <EmptyState title="Nothing to review yet" action={<a className="button primary" href="#/train">Train and score a model</a>}>
        Review lists the parts the model flags (and the uncertain band) once images are scored and a threshold is set.
      </EmptyState>
    );
  }
  return <ScopedReview modelId={model.id} />;
}

/** A queue per model and scope: another list starts afresh. */
function ScopedReview({ modelId }: { modelId: number }) {
  const scope = useSyncExternalStore(onReviewScope, reviewScope);
  return <ReviewSession key={`${modelId}:${JSON.stringify(scope?.filter ?? null)}`} modelId={modelId} scope={scope} />;
}

/** "Only: lot /cam of 12/1/2026" with the way back to every flagged part. */
function ScopeLine({ scope }: { scope: ReviewScope | null }) {
  if (!scope) return null;
  return (
    <p className="small" data-testid="review-scope">
      Only: {scope.words}. <button className="link" onClick={() => setReviewScope(null)}>Review all flagged parts</button>
    </p>
  );
}

export function ReviewSession({ modelId, scope = null }: { modelId: number; scope?: ReviewScope | null }) {
  const client = useApi();
  const [state, dispatch] = useReducer(reviewReducer, undefined, () => initialReview());
  const [images, setImages] = useState<Map<number, RankedImage>>(new Map());
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(0);
  const stateRef = useRef(state);
  stateRef.current = state;
  // Decisions and undos are sent one after another: over HTTP two requests can overtake each other,
  // and an undo must reach the store after the decision it reverts.
  const writes = useRef<Promise<unknown>>(Promise.resolve());
  const write = useCallback((send: () => Promise<unknown>) => {
    const sent = writes.current.then(send);
    writes.current = sent.catch(() => undefined);
    return sent;
  }, []);

  // After a failed save the queue is reloaded but the message stays up.
  const load = useCallback(async (keepError = false) => {
    if (!keepError) setError(null);
    try {
      const rows: RankedImage[] = [];
      for (let offset = 0; offset < MAX_ITEMS; offset += PAGE) {
        const page = await client.call('reviews.queue', { modelId, includeReviewed: true, offset, limit: PAGE, scope: scope?.filter ?? {} });
        rows.push(...page.items);
        if (rows.length >= page.total || page.items.length === 0) break;
      }
      setImages(new Map(rows.map((r) => [r.id, r])));
      dispatch({ type: 'load', items: rows.map((r) => ({ imageId: r.id, decision: r.review?.decision ?? null })) });
      setLoaded(true);
    } catch (e) {
      setError(e);
    }
  }, [client, modelId, scope]);
  useEffect(() => void load(), [load]);
  // A threshold saved while the queue could not be built (from the empty state below, or another window)
  // builds it; one changed mid-review leaves the queue being worked through alone.
  const ws = useWorkspace();
  useReloadOn(ws.projectId, ['thresholds'], () => {
    if (!loaded) void load();
  });

  const act = useCallback(
    (action: ReviewAction) => {
      const s = stateRef.current;
      if (action.type === 'decide') {
        const item = currentItem(s);
        if (!item) return;
        const text = note.trim();
        dispatch(action);
        setNote('');
        setSaving((n) => n + 1);
        write(() => client.call('reviews.add', { imageId: item.imageId, modelId, decision: action.decision as Decision, note: text, reviewer: reviewerName() }))
          .catch((e: unknown) => {
            setError(e);
            void load(true); // the decision did not stick: show what the store holds
          })
          .finally(() => setSaving((n) => n - 1));
      } else if (action.type === 'undo') {
        const last = s.undo[s.undo.length - 1];
        if (!last) return;
        dispatch(action);
        write(() => client.call('reviews.undo', { imageId: last.imageId, reviewer: reviewerName() })).catch((e: unknown) => {
          setError(e);
          void load(true);
        });
      } else dispatch(action);
    },
    [client, modelId, note, load, write],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const a = reviewKeyAction(e);
      if (!a) return;
      e.preventDefault();
      act(a);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [act]);

  if (error && !loaded && (error as { code?: string }).code === 'conflict') {
    return (
      <EmptyState title="Set a threshold first" action={<QuickThresholdButtons modelId={modelId} />}>
        {describeError(error)}. The review queue holds the parts at or above the threshold and those in its uncertain band.
      </EmptyState>
    );
  }
  if (error && !loaded) return <ErrorNotice error={error} onRetry={() => void load()} />;
  if (!loaded) return <p className="muted">Loading the review queue…</p>;
  if (state.items.length === 0) {
    return (
      <EmptyState title="No flagged or uncertain parts" action={<a className="button primary" href="#/threshold">Set the threshold</a>}>
        The queue holds the parts at or above the threshold and those in the uncertain band. Lower the threshold or add an uncertain band to review more.
        <ScopeLine scope={scope} />
      </EmptyState>
    );
  }
  const item = currentItem(state);
  const { done, total } = reviewProgress(state);
  return (
    <div className="review">
      <aside className="review-side">
        <ScopeLine scope={scope} />
        <ReviewerLine />
        <ProgressBar value={total ? done / total : 0} label="Reviewed" detail={`${done} of ${total} reviewed${saving ? ' · saving…' : ''}`} />
        <ReviewQueueList state={state} images={images} onGoto={(i) => act({ type: 'goto', index: i })} />
      </aside>
      <section className="review-main">
        <ErrorNotice error={error} onDismiss={() => setError(null)} />
        <div className="decision-bar" role="toolbar" aria-label="Decision">
          <span className="muted num">{state.index + 1} / {total}</span>
          <button className="good" onClick={() => act({ type: 'decide', decision: 'good' })}><kbd>G</kbd> Good</button>
          <button className="bad" onClick={() => act({ type: 'decide', decision: 'defect' })}><kbd>D</kbd> Defect</button>
          <button onClick={() => act({ type: 'decide', decision: 'unsure' })}><kbd>U</kbd> Unsure</button>
          <button className="ghost" onClick={() => act({ type: 'undo' })} disabled={state.undo.length === 0}><kbd>Z</kbd> Undo</button>
          <input className="grow" value={note} onChange={(e) => setNote(e.target.value)} placeholder="Note (optional)" title="Saved with the next decision" aria-label="Note" />
          <details className="keys">
            <summary>Keys</summary>
            <ul className="plain small">{REVIEW_KEY_HELP.map(([k, v]) => <li key={k}><kbd>{k}</kbd> {v}</li>)}</ul>
          </details>
        </div>
        {item ? <CompareView modelId={modelId} imageId={item.imageId} compact /> : null}
      </section>
    </div>
  );
}
