// A model's scores grouped by the import (lot) that brought each image in: a lot whose flag rate jumps, or most of
// whose parts differ from the good parts as a whole (shared/capture-shift), shows against the others. The Threshold
// screen and `score --db` use it. Pure.

/** One import's scores (ascending), the model's own training images left out; `shifted`: how many of them differ
 *  from the held-out good parts as a whole (null: the model cannot tell). */
export interface BatchScores { importId: number; scores: Float64Array; shifted: number | null }

/**
 * The scored images grouped by the import that brought them in, newest import first: a lot whose flag rate
 * jumps (a bad lot, a moved camera, new lighting) shows against the others at any threshold. The model's own
 * training images score low by construction and images added without an import have no batch: both left out.
 */
export function batchesOf(d: { scores: number[]; importIds: ReadonlyArray<number | null>; trained: boolean[]; shifted: boolean[] | null }): BatchScores[] {
  const by = new Map<number, { scores: number[]; shifted: number }>();
  d.scores.forEach((s, i) => {
    const id = d.importIds[i];
    if (id === null || d.trained[i] || !Number.isFinite(s)) return;
    const b = by.get(id) ?? { scores: [], shifted: 0 };
    b.scores.push(s);
    if (d.shifted?.[i]) b.shifted++;
    by.set(id, b);
  });
  return [...by].sort((a, b) => b[0] - a[0])
    .map(([importId, b]) => ({ importId, scores: Float64Array.from(b.scores).sort(), shifted: d.shifted ? b.shifted : null }));
}
