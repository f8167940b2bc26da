// The followed folders' latest lot (a day's looks) set against all the project's other lots at the model's saved
// threshold: a line whose flag rate jumps has a station or a lot to check, which the andon says beside the parts
// waiting for review. The rule is shared/lot-flags', the lots shared/lots'; this only gathers their counts.
import type { Store } from '../store';
import { flagJumps } from '../shared/lot-flags';
import { lotFlagCounts, lotsOf } from '../shared/lots';
import type * as T from './types';

const sameRoots = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((r, i) => r === b[i]);

/** The jump of the followed folders' newest lot, or null: no model, no threshold, no other lot, or no jump. */
export function followedLotJump(store: Store, f: { projectId: number; roots: string[]; modelId: number | null }): T.FollowState['lotJump'] {
  const threshold = f.modelId === null ? undefined : store.thresholds.current(f.modelId)?.value;
  if (f.modelId === null || threshold === undefined) return null;
  const lots = lotsOf(store.imports.starts(f.projectId));
  const followed = lots.findLastIndex((l) => sameRoots(l.roots, f.roots));
  if (followed < 0) return null;
  const counts = lotFlagCounts(store.stats.flagsByImport(f.modelId, threshold), lots);
  const all = counts.reduce((a, c) => ({ parts: a.parts + c.parts, flagged: a.flagged + c.flagged }), { parts: 0, flagged: 0 });
  const [jump] = flagJumps([{ name: '', ...counts[followed] }], all);
  return jump ? {
    from: new Date(lots[followed].from).toISOString(), parts: jump.parts, flagged: jump.flagged,
    restParts: jump.restParts, restFlagged: jump.restFlagged,
  } : null;
}
