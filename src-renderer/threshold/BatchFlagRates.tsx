// Flag rate per lot (an import, or a day's imports of the same folders) at the threshold being set: the newest
// lot flagging far more than the others is a bad lot or a changed station (camera, lighting), worth a look before
// trusting the threshold. Label-free. A lot that flags more than chance allows against all the others
// (shared/lot-flags: a p-chart's 3-sigma limit, by Fisher's exact test) is marked and named under the table.
// Whole-image models also tell the two apart: a lot whose parts mostly differ from the good parts as a whole
// (not only at a defect) was captured differently, and its flags say more about the capture than the parts.
import { flagJumps, flagJumpWarning, LOTS_TESTED, shiftedLotsWarning, type LotSummary } from '../api/client';
import { dayText, formatDate, formatNumber, formatPercent, lotName } from '../components/format';
import { DayStartField } from './DayStartField';
import { countAtLeast, type BatchScores } from './threshold-math';

/** When a lot's imports ran: one import's time, or a day's span and count (a followed camera's looks). */
function whenOf(l: LotSummary): string {
  if (l.imports === 1) return formatDate(l.from);
  const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return `${dayText(l.day)} ${time(l.from)}–${time(l.to)} (${formatNumber(l.imports)} imports)`;
}

/** Lots shown; older ones are summed in one row. */
const SHOWN = LOTS_TESTED;

export function BatchFlagRates({ batches, lots, threshold, onShow, dayStart, onDayStart }: {
  batches: BatchScores[]; lots: LotSummary[]; threshold: number;
  /** Opens Results on a lot's flagged parts. */
  onShow: (lot: { id: number; name: string }) => void;
  /** When the project's day starts ("06:00"), and setting it (the lots regroup). */
  dayStart: string; onDayStart: (dayStart: string) => Promise<void>;
}) {
  if (batches.length < 2) return null;
  const rows = batches.slice(0, SHOWN).map((b) => {
    const lot = lots[b.lot];
    return {
      key: String(b.lot), when: lot ? whenOf(lot) : '—', what: lot ? lot.roots.join(' ; ') : '', lotId: (lot?.id ?? null) as number | null,
      // The same folders make a lot a day: the warning names the day too.
      name: lot ? lotName(lot.roots, lot.day) : '—',
      parts: b.scores.length, flagged: countAtLeast(b.scores, threshold), shifted: b.shifted,
    };
  });
  // Each lot shown against every other lot, the older ones summed below included.
  const all = batches.reduce((a, b) => ({ parts: a.parts + b.scores.length, flagged: a.flagged + countAtLeast(b.scores, threshold) }), { parts: 0, flagged: 0 });
  const jumps = flagJumps(rows, all);
  const jumped = new Set(jumps.map((j) => j.key));
  // One model's batches all can tell a capture shift or none can.
  const tells = batches[0].shifted !== null;
  const older = batches.slice(SHOWN);
  if (older.length) {
    rows.push({
      key: 'older', when: `${older.length} older lots`, what: '', name: '', lotId: null,
      parts: older.reduce((n, b) => n + b.scores.length, 0), flagged: older.reduce((n, b) => n + countAtLeast(b.scores, threshold), 0),
      shifted: tells ? older.reduce((n, b) => n + (b.shifted ?? 0), 0) : null,
    });
  }
  // The lots shown one by one (older ones summed are no lot).
  const warning = shiftedLotsWarning(rows.slice(0, SHOWN).map((r) => ({ name: r.name, shifted: r.shifted, parts: r.parts })));
  const jumpWarning = flagJumpWarning(jumps);
  return (
    <section className="card">
      <h3>Flagged by lot</h3>
      <p className="muted small">
        At this threshold, the lot that last took parts in first (the model's own training images left out); a lot is an import, or a day's
        imports of the same folders (a followed camera's looks). A lot that flags more than the others beyond chance (a
        p-chart's 3-sigma limit) is marked ▲.
      </p>
      <DayStartField value={dayStart} onSet={onDayStart} />
      <table className="list-table compact" aria-label="Flagged by lot">
        <thead>
          <tr>
            <th>Lot</th><th className="num">Parts</th><th className="num">Flagged</th>
            {tells && <th className="num" title="Parts that differ from the good parts held out of training as a whole (far out in their range), not only at one spot">Differ as a whole</th>}
            <th><span className="sr-only">Show</span></th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-testid="batch-row">
              <td><span className="small">{r.when}</span> <span className="muted small" title={r.what}>{r.what}</span></td>
              <td className="num">{formatNumber(r.parts)}</td>
              <td className={jumped.has(r.key) ? 'num flag-jump' : 'num'} title={jumped.has(r.key) ? 'Flags more than the other lots beyond chance (3-sigma limit)' : undefined}>
                {jumped.has(r.key) && '▲ '}{formatNumber(r.flagged)} ({formatPercent(r.flagged / r.parts)})
              </td>
              {tells && <td className="num">{r.shifted === null ? '-' : `${formatNumber(r.shifted)} (${formatPercent(r.shifted / r.parts)})`}</td>}
              <td>
                {r.lotId !== null && r.flagged > 0 && (
                  <button className="link" onClick={() => onShow({ id: r.lotId!, name: r.name })} aria-label={`Show the flagged parts of ${r.name}`}>Show</button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {jumpWarning && <p className="notice warn small" data-testid="batch-jump">{jumpWarning}</p>}
      {warning && <p className="notice warn small" data-testid="batch-shifted">{warning}</p>}
    </section>
  );
}
