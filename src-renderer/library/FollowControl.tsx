// Following a camera folder from the Last import card: the library looks at the import's folders again every minute
// while the app runs (after a restart too), and the selected model scores what came in (api/follow.ts), so a line's
// new parts show up in Results and Review without anyone pressing a button.
import { useState } from 'react';
import { useApi, useReloadOn, useRequest } from '../state/api-context';
import { useWorkspace } from '../state/workspace';
import { ErrorNotice } from '../components/Notice';
import { formatDate, formatNumber } from '../components/format';
import type { FollowState } from '../api/client';
import { askToNotify, mayAskToNotify } from '../state/notify';

const every = (seconds: number) => (seconds === 60 ? 'every minute' : `every ${seconds} s`);

export function FollowControl({ projectId, importId, roots }: { projectId: number; importId: number; roots: string[] }) {
  const client = useApi();
  const { model, models } = useWorkspace();
  const state = useRequest('follow.get', { projectId });
  useReloadOn(projectId, ['follow'], state.reload);
  const [error, setError] = useState<unknown>(null);
  const act = (run: () => Promise<unknown>) => () => {
    setError(null);
    run().then(state.reload, setError);
  };
  const f = state.data;
  const scorer = (id: number | null) => (id === null ? null : models.find((m) => m.id === id)?.name ?? `model ${id}`);
  return (
    <div className="follow">
      {f ? (
        <div className="row">
          <span role="status" aria-label="Following">{followingLine(f, roots, scorer(f.modelId))}</span>
          {mayAskToNotify() ? (
            <button className="ghost" onClick={act(askToNotify)} title="A system notification when a look brings parts the model flags">
              Notify me of flagged parts
            </button>
          ) : null}
          <button onClick={act(() => client.call('follow.stop', { projectId }))}>Stop following</button>
        </div>
      ) : f === null ? (
        <div className="row">
          <button
            onClick={() => {
              void askToNotify(); // on the click: a browser asks only from a user's gesture
              act(() => client.call('follow.start', { projectId, importId, modelId: model?.id ?? null }))();
            }}
          >
            Follow these folders
          </button>
          <span className="muted small">
            imports new images {every(60)} while the app runs{model ? `, scored by ${model.name}; flagged ones are said on every screen` : ''}: for a camera that keeps writing here
          </span>
        </div>
      ) : null}
      {f?.lastError ? <div className="notice warn" role="alert">{f.lastError}</div> : null}
      <ErrorNotice error={error ?? state.error} onDismiss={() => setError(null)} />
    </div>
  );
}

/** "Following since 14:02 (every minute): last look 14:31: 3 new; scored by quick." */
function followingLine(f: FollowState, roots: string[], scorer: string | null): string {
  const what = f.roots.join(' ; ') === roots.join(' ; ') ? '' : ` ${f.roots.join(' ; ')}`;
  const look = f.looking ? 'looking now' : f.lastLook ? `last look ${formatDate(f.lastLook)}: ${formatNumber(f.lastNew)} new` : 'not looked yet';
  return `Following${what} since ${formatDate(f.since)} (${every(f.everySeconds)}): ${look}; ${scorer ? `scored by ${scorer}` : 'not scored (no model chosen)'}.`;
}
