// The line's andon: parts a followed camera brought in that the model flags and nobody has reviewed yet are said on
// every screen, and as a system notification when more come (the window is often behind the line's own software);
// with them, when the camera's lot flags more than the other lots beyond chance: a station or a lot to check.
import { useEffect, useRef } from 'react';
import { useReloadOn, useRequest } from '../state/api-context';
import { navigate } from '../state/route';
import { useWorkspace } from '../state/workspace';
import { dayText, formatDate, formatNumber, formatPercent, lotName } from '../components/format';
import { lotDay, parseDayStart, type FollowState } from '../api/client';
import { DEFAULT_FILTERS, setRememberedFilters } from '../state/result-filters';
import { notify } from '../state/notify';

/** What moves the count: a look, a scoring, a review, a threshold, a folder or a model taken out. */
const FOLLOW_COUNT_CHANGES = ['follow', 'scores', 'reviews', 'thresholds', 'images', 'models'] as const;

const parts = (n: number) => `${formatNumber(n)} ${n === 1 ? 'part' : 'parts'}`;

/** "Today's lot flags 30.0 % of its parts (6 of 20) where the other lots flag 1.0 % (1 of 100): …". */
function jumpText(j: NonNullable<FollowState['lotJump']>, dayStart: string): string {
  const today = j.day === lotDay(Date.now(), parseDayStart(dayStart)).key; // the line's day, past midnight on a night shift
  const day = today ? 'Today\u2019s lot' : `Its lot of ${dayText(j.day)}`;
  return `${day} flags ${formatPercent(j.flagged / j.parts)} of its parts (${formatNumber(j.flagged)} of ${formatNumber(j.parts)}) where the other ` +
    `lots flag ${formatPercent(j.restFlagged / j.restParts)} (${formatNumber(j.restFlagged)} of ${formatNumber(j.restParts)}): more than chance gives ` +
    'at a 3-sigma control limit. A changed station (camera, lighting) or a bad lot?';
}

export function FollowAlert() {
  const ws = useWorkspace();
  const state = useRequest('follow.get', ws.projectId === null ? null : { projectId: ws.projectId });
  useReloadOn(ws.projectId, FOLLOW_COUNT_CHANGES, state.reload);
  const f = state.data ?? null;
  const waiting = f?.flaggedUnreviewed ?? null;
  const dayStart = ws.projects.find((p) => p.id === ws.projectId)?.dayStart ?? '00:00';
  const jump = f?.lotJump ? jumpText(f.lotJump, dayStart) : null;
  const count = waiting?.count ?? 0;
  const model = f?.modelId == null ? null : ws.models.find((m) => m.id === f.modelId) ?? null;

  const open = (filters: typeof DEFAULT_FILTERS) => {
    if (model) ws.setModelId(model.id);
    setRememberedFilters(filters);
    navigate('results');
  };
  const show = () => open({ ...DEFAULT_FILTERS, sort: 'newest', flagged: true, unreviewed: true, notTrained: true, since: f?.since ?? null });
  // The lot's flagged parts, reviewed or not, as the Threshold screen's Show lists them.
  const showLot = (j: NonNullable<FollowState['lotJump']>) =>
    open({ ...DEFAULT_FILTERS, flagged: true, notTrained: true, lot: { id: j.id, name: lotName(f?.roots ?? [], j.day) } });

  // Said when more wait than at the last reading of the same project; what waited already when the app opened is
  // on the banner, not a notification.
  const seen = useRef<{ projectId: number; count: number } | null>(null);
  useEffect(() => {
    if (state.data === undefined) return;
    const projectId = state.data?.projectId ?? ws.projectId ?? -1;
    const before = seen.current;
    seen.current = { projectId, count };
    if (before && before.projectId === projectId && count > before.count) {
      const title = `${parts(count - before.count)} flagged by ${model?.name ?? 'the model'}`;
      notify(title, `From the followed folder; ${parts(count)} wait for review.${jump ? ` ${jump}` : ''}`, 'ganomaly-followed-flagged', show);
    }
  });

  if (!waiting || count === 0) return null;
  return (
    <div className="notice warn" role="status" aria-label="Flagged parts from the followed folder">
      <div>
        <strong>{parts(count)}</strong> from the followed folder {count === 1 ? 'is' : 'are'} flagged by {model?.name ?? 'the model'} and
        not reviewed yet{waiting.newest ? ` (newest came in ${formatDate(waiting.newest)})` : ''}.
        {jump && <div data-testid="lot-jump">{jump}</div>}
      </div>
      <div className="notice-actions">
        <button onClick={show}>Show them</button>
        {f?.lotJump && <button onClick={() => showLot(f.lotJump!)}>Show the lot</button>}
      </div>
    </div>
  );
}
