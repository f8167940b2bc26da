// The followed folders' latest lot (a day's looks) set against all the project's other lots at the model's saved
// threshold: a line whose flag rate jumps has a station or a lot to check, which the andon says beside the parts
// waiting for review. The rule is shared/lot-flags', the lots shared/lots'; this only gathers their counts, reading
// that day's imports and totals from indexes, never the whole history (half a million looks a year).
import type { Store } from '../store';
import { flagJumps } from '../shared/lot-flags';
import { lotDay, lotsOf } from '../shared/lots';
import type * as T from './types';

const sameRoots = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((r, i) => r === b[i]);

/** The jump of the followed folders' newest lot, or null: no model, no threshold, no other lot, or no jump. */
export function followedLotJump(store: Store, f: { projectId: number; roots: string[]; modelId: number | null }): T.FollowState['lotJump'] {
  const threshold = f.modelId === null ? undefined : store.thresholds.current(f.modelId)?.value;
  if (f.modelId === null || threshold === undefined) return null;
  const newest = store.imports.newestStart(f.projectId, f.roots);
  if (newest === null) return null;
  const dayStart = store.projects.get(f.projectId)?.dayStart ?? 0;
  const day = lotDay(newest, dayStart);
  const lot = lotsOf(store.imports.startsBetween(f.projectId, day.from, day.to), dayStart).find((l) => sameRoots(l.roots, f.roots));
  if (!lot) return null;
  const own = store.stats.flagsOfImports(f.modelId, lot.importIds, threshold);
  const [jump] = flagJumps([{ name: '', ...own }], store.stats.flagTotals(f.modelId, threshold));
  return jump ? {
    id: lot.importIds[0], day: lot.day, from: new Date(lot.from).toISOString(), parts: jump.parts, flagged: jump.flagged,
    restParts: jump.restParts, restFlagged: jump.restFlagged,
  } : null;
}
