// A lot that flags far more parts than the other lots at the same threshold: a bad lot, or a station that changed
// (camera, lighting, fixture), the signal a p-chart gives a line. Each lot is set against all the other lots
// together by Fisher's exact test, one-sided, and called out when chance would give that many flags less often
// than it puts a point beyond a 3-sigma control limit. The Threshold screen, `score --db` and `status --db` use it.
// Pure: imports only shared/fisher-exact.
import { upperTail } from './fisher-exact';

/** The one-sided chance of a point beyond a 3-sigma control limit (a p-chart's upper limit): 1 − Φ(3). */
export const JUMP_P = 0.00135;

/** The newest lots that are tested, one by one, and shown (the Threshold screen sums older ones in a row): a year of
 *  a line's days tested each time would call out some old lot by chance, and a test set imported long ago always. */
export const LOTS_TESTED = 8;

/** One lot's parts and how many of them the threshold flags. */
export interface LotCount { name: string; parts: number; flagged: number }

/** A lot flagging more than the rest: its p-value, and the rest's counts to say it against. */
export type FlagJump<L extends LotCount = LotCount> = L & { p: number; restParts: number; restFlagged: number };

/**
 * The lots among `lots` that flag more than all the other lots (`all`: every lot's parts and flags together,
 * `lots` included) beyond what chance gives at a 3-sigma limit, in the order given.
 */
export function flagJumps<L extends LotCount>(lots: readonly L[], all: { parts: number; flagged: number }): Array<FlagJump<L>> {
  return lots.flatMap((l) => {
    const restParts = all.parts - l.parts;
    const restFlagged = all.flagged - l.flagged;
    if (restParts <= 0 || l.parts <= 0) return [];
    const p = upperTail(l.flagged, l.parts, all.flagged, all.parts);
    return p < JUMP_P ? [{ ...l, p, restParts, restFlagged }] : [];
  });
}

/** The warning for lots that flag far more than the others, or null. */
export function flagJumpWarning(jumps: readonly FlagJump[]): string | null {
  if (!jumps.length) return null;
  const named = jumps.map((j) => `${j.name} flags ${count(j.flagged)} of ${count(j.parts)} parts (${percent(j.flagged / j.parts)}) ` +
    `where the other lots flag ${percent(j.restFlagged / j.restParts)} (${count(j.restFlagged)} of ${count(j.restParts)})`).join('; ');
  const one = jumps.length === 1;
  return `${named}: more than chance gives at a 3-sigma control limit (Fisher's exact test, p ${pText(Math.max(...jumps.map((j) => j.p)), one)}). ` +
    `Known defects (a test set) do; otherwise a bad lot, or a changed station (camera, lighting)? Look at ${one ? 'its' : 'their'} ` +
    'flagged parts before trusting the threshold.';
}

/** Counts as the screens show them: 1,234. */
const count = (n: number): string => n.toLocaleString('en-US');
const percent = (v: number): string => `${(100 * v).toFixed(1)} %`;
/** "= 0.0004", "< 1e-6"; for several lots their largest, "≤ 0.0004". */
const pText = (p: number, one: boolean): string => (p < 1e-6 ? '< 1e-6' : `${one ? '=' : '≤'} ${p.toPrecision(1)}`);
