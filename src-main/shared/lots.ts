// A model's scores grouped by lot, the imports that brought each image in: a lot whose flag rate jumps, or most of
// whose parts differ from the good parts as a whole (shared/capture-shift), shows against the others. The Threshold
// screen and `score --db` use it. Pure: imports only shared/truth.
import { lowerBound } from './truth';

/** An import as lots need it: its folders and when it started (ms). */
export interface LotImport { id: number; roots: readonly string[]; startedAt: number }

/** A lot: the imports of the same folders on one day (`day`, lotDay's key); `from`/`to`: when its first and last
 *  import started (ms). */
export interface Lot { importIds: number[]; roots: string[]; day: string; from: number; to: number }

/** The lots of imports grouped so far, and which lot holds an import. */
export interface LotGroups {
  /** Oldest first, by their last import: the lot that took parts in last (a followed camera's day) is the newest. */
  lots(): Lot[];
  lotOf(importId: number): Lot | undefined;
}

/**
 * The project's lots, grouped as imports come: the imports of the same folders on the same day (local time, the
 * day starting `dayStart` minutes after midnight: a line whose night shift runs past midnight sets it to when its
 * first shift starts) are one lot. A followed camera's looks every minute, or a day's presses of "Look for new
 * images", bring that day's parts of that camera, not a lot each: a lot of two parts says nothing by its flag rate.
 * `add` takes imports newer than every one before (by id), so a followed line's history (half a million looks a
 * year) is grouped once and then only its new looks (store/imports.ts keeps one per project).
 */
export function lotGrouper(dayStart = 0): LotGroups & { add(imports: readonly LotImport[]): void } {
  const by = new Map<string, Lot>();
  const dayOf = lotDays(dayStart);
  // Import ids ascending and each one's lot: added in id order, found by binary search.
  const ids: number[] = [];
  const lotsById: Lot[] = [];
  let sorted: Lot[] | null = null;
  return {
    add(imports) {
      for (const i of [...imports].sort((a, b) => a.id - b.id)) {
        if (ids.length && i.id <= ids[ids.length - 1]) throw new Error(`lots: import ${i.id} is not newer than ${ids[ids.length - 1]}`);
        const key = `${dayOf(i.startedAt)}\0${i.roots.join('\0')}`;
        let lot = by.get(key);
        if (lot) {
          lot.importIds.push(i.id);
          lot.to = i.startedAt;
        } else by.set(key, (lot = { importIds: [i.id], roots: [...i.roots], day: dayOf(i.startedAt), from: i.startedAt, to: i.startedAt }));
        ids.push(i.id);
        lotsById.push(lot);
      }
      if (imports.length) sorted = null;
    },
    lots: () => (sorted ??= [...by.values()].sort((a, b) => a.importIds[a.importIds.length - 1] - b.importIds[b.importIds.length - 1])),
    lotOf(importId) {
      const k = lowerBound(ids, importId);
      return ids[k] === importId ? lotsById[k] : undefined;
    },
  };
}

/** The lots of these imports (lotGrouper's, at once). */
export function lotsOf(imports: readonly LotImport[], dayStart = 0): Lot[] {
  const g = lotGrouper(dayStart);
  g.add(imports);
  return g.lots();
}

/** Minutes in a day: a day start is 0 (midnight) to 1439 (23:59). */
export const DAY_MINUTES = 24 * 60;

/**
 * The day a time belongs to, local time, the day starting `dayStart` minutes after midnight (06:00: 360): its key
 * ("2026-12-01", the date it starts on; also how the export names a lot's day) and its bounds (ms; a day of 23 or
 * 25 hours where clocks change). At 02:00 with days starting 06:00, the day is the one that began yesterday.
 */
export function lotDay(ms: number, dayStart = 0): { key: string; from: number; to: number } {
  const d = new Date(ms);
  const [h, m] = [Math.floor(dayStart / 60), dayStart % 60];
  let start = new Date(d.getFullYear(), d.getMonth(), d.getDate(), h, m);
  if (start.getTime() > ms) start = new Date(d.getFullYear(), d.getMonth(), d.getDate() - 1, h, m);
  const two = (n: number) => String(n).padStart(2, '0');
  return {
    key: `${start.getFullYear()}-${two(start.getMonth() + 1)}-${two(start.getDate())}`,
    from: start.getTime(),
    to: new Date(start.getFullYear(), start.getMonth(), start.getDate() + 1, h, m).getTime(),
  };
}

/** lotDay's key, remembering the last day: imports come in time order, a followed camera's by the minute, so a
 *  Date is made once a day rather than once an import. */
function lotDays(dayStart: number): (ms: number) => string {
  let day = { key: '', from: Infinity, to: -Infinity };
  return (ms) => {
    if (!(ms >= day.from && ms < day.to)) day = lotDay(ms, dayStart);
    return day.key;
  };
}

/** A day start as the clock shows it: "06:00". */
export function formatDayStart(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** "6:00", "06:00" or "22:30" as minutes after midnight; throws an Error that says what is wrong. */
export function parseDayStart(text: string): number {
  const m = /^\s*(\d{1,2}):(\d{2})\s*$/.exec(text);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) throw new Error(`a day's start must be a time of day as hh:mm, 00:00 to 23:59, got "${text}"`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Each image's lot (its index in `groups.lots()`) from the import that brought it in; null: none, or in no lot. */
export function lotIdsOf(importIds: ReadonlyArray<number | null>, groups: LotGroups): Array<number | null> {
  const index = new Map(groups.lots().map((l, n) => [l, n]));
  return importIds.map((id) => {
    const lot = id === null ? undefined : groups.lotOf(id);
    return lot === undefined ? null : index.get(lot) ?? null;
  });
}

/** One lot's scores (ascending), the model's own training images left out; `shifted`: how many of them differ
 *  from the held-out good parts as a whole (null: the model cannot tell). */
export interface BatchScores { lot: number; scores: Float64Array; shifted: number | null }

/**
 * The scored images grouped by lot (lotIds, as `lotIdsOf` gives them), newest lot first: a lot whose flag rate
 * jumps (a bad lot, a moved camera, new lighting) shows against the others at any threshold. The model's own
 * training images score low by construction and images added without an import have no lot: both left out.
 */
export function batchesOf(d: { scores: number[]; lotIds: ReadonlyArray<number | null>; trained: boolean[]; shifted: boolean[] | null }): BatchScores[] {
  const by = new Map<number, { scores: number[]; shifted: number }>();
  d.scores.forEach((s, i) => {
    const lot = d.lotIds[i];
    if (lot === null || d.trained[i] || !Number.isFinite(s)) return;
    const b = by.get(lot) ?? { scores: [], shifted: 0 };
    b.scores.push(s);
    if (d.shifted?.[i]) b.shifted++;
    by.set(lot, b);
  });
  return [...by].sort((a, b) => b[0] - a[0])
    .map(([lot, b]) => ({ lot, scores: Float64Array.from(b.scores).sort(), shifted: d.shifted ? b.shifted : null }));
}
