// Detection metrics over anomaly scores. Pure TypeScript with no imports: the renderer imports this
// module at runtime so threshold sliders update without a round trip.
// Conventions: a higher score means more anomalous; label 1 (or true) = defective = positive; an image
// is flagged when score >= threshold. Metrics that need both classes return NaN when one is missing.

export type Label = number | boolean;

export interface RocPoint { threshold: number; fpr: number; tpr: number }
export interface PrPoint { threshold: number; precision: number; recall: number }
export interface Confusion { tp: number; fp: number; tn: number; fn: number }
export interface BestF1 { f1: number; threshold: number; precision: number; recall: number }

interface Step { threshold: number; tp: number; fp: number }

function check(scores: ArrayLike<number>, labels: ArrayLike<Label>): void {
  if (scores.length !== labels.length) {
    throw new Error(`metrics: ${scores.length} scores but ${labels.length} labels`);
  }
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i])) throw new Error(`metrics: score ${i} is not a finite number (${scores[i]})`);
  }
}

export const isPositive = (l: Label): boolean => l === true || l === 1;

// Cumulative (tp, fp) after admitting every score >= each distinct threshold, highest first. Tied scores
// enter together, which is what makes ties count as half in AUROC and keeps curves honest.
function steps(scores: ArrayLike<number>, labels: ArrayLike<Label>): { steps: Step[]; pos: number; neg: number } {
  check(scores, labels);
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const out: Step[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (isPositive(labels[i])) tp++; else fp++;
    const next = order[k + 1];
    if (next === undefined || scores[next] !== scores[i]) out.push({ threshold: scores[i], tp, fp });
  }
  return { steps: out, pos: tp, neg: fp };
}

/** ROC points from (0,0) (threshold +Infinity) to (1,1), one per distinct score. */
export function rocCurve(scores: ArrayLike<number>, labels: ArrayLike<Label>): RocPoint[] {
  const { steps: s, pos, neg } = steps(scores, labels);
  const pts: RocPoint[] = [{ threshold: Infinity, fpr: 0, tpr: 0 }];
  for (const st of s) pts.push({ threshold: st.threshold, fpr: neg ? st.fp / neg : NaN, tpr: pos ? st.tp / pos : NaN });
  return pts;
}

/** Area under the ROC curve (trapezoids, so a tie between a good and a defective part counts 1/2). */
export function auroc(scores: ArrayLike<number>, labels: ArrayLike<Label>): number {
  const { steps: s, pos, neg } = steps(scores, labels);
  if (pos === 0 || neg === 0) return NaN;
  let area = 0;
  let prevTp = 0;
  let prevFp = 0;
  for (const st of s) {
    area += (st.fp - prevFp) * (st.tp + prevTp) / 2;
    prevTp = st.tp;
    prevFp = st.fp;
  }
  return area / (pos * neg);
}

/**
 * AUROC of each group of positives (e.g. each kind of defect) against every negative: which kinds a score
 * finds and which it misses. Negatives' groups are not read. Groups in order of first appearance.
 */
export function aurocByGroup<G>(scores: ArrayLike<number>, labels: ArrayLike<Label>, groups: ArrayLike<G>): Map<G, { positives: number; auroc: number }> {
  check(scores, labels);
  if (groups.length !== scores.length) throw new Error(`metrics: ${scores.length} scores but ${groups.length} groups`);
  const negatives: number[] = [];
  const byGroup = new Map<G, number[]>();
  for (let i = 0; i < scores.length; i++) {
    if (!isPositive(labels[i])) negatives.push(scores[i]);
    else if (byGroup.has(groups[i])) byGroup.get(groups[i])!.push(scores[i]);
    else byGroup.set(groups[i], [scores[i]]);
  }
  const out = new Map<G, { positives: number; auroc: number }>();
  for (const [g, pos] of byGroup) {
    out.set(g, { positives: pos.length, auroc: auroc([...pos, ...negatives], [...pos.map(() => 1), ...negatives.map(() => 0)]) });
  }
  return out;
}

/**
 * Per kind of defect (null: a defect of no named kind), each of `scores`' AUROC of that kind against every
 * negative, in the order given; kinds sorted by name, the unnamed last. None under two kinds: the overall figures
 * already say what one kind's would.
 */
export function aurocsByKind(scores: ReadonlyArray<ArrayLike<number>>, labels: ArrayLike<Label>, kinds: ArrayLike<string | null>): Array<{ kind: string | null; parts: number; aurocs: number[] }> {
  const each = scores.map((s) => aurocByGroup(s, labels, kinds));
  if (!each.length || each[0].size < 2) return [];
  return [...each[0]].map(([kind, f]) => ({ kind, parts: f.positives, aurocs: each.map((m) => m.get(kind)!.auroc) }))
    .sort((a, b) => (a.kind === null ? 1 : b.kind === null ? -1 : a.kind.localeCompare(b.kind)));
}

/** Precision-recall points, highest threshold first. */
export function prCurve(scores: ArrayLike<number>, labels: ArrayLike<Label>): PrPoint[] {
  const { steps: s, pos } = steps(scores, labels);
  return s.map((st) => ({ threshold: st.threshold, precision: st.tp / (st.tp + st.fp), recall: pos ? st.tp / pos : NaN }));
}

/** Average precision: sum over distinct thresholds of (recall gained) x precision (no interpolation). */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<Label>): number {
  const { steps: s, pos, neg } = steps(scores, labels);
  if (pos === 0 || neg === 0) return NaN;
  let ap = 0;
  let prevTp = 0;
  for (const st of s) {
    ap += ((st.tp - prevTp) / pos) * (st.tp / (st.tp + st.fp));
    prevTp = st.tp;
  }
  return ap;
}

/** The threshold (one of the scores) that maximises F1; the highest such threshold on ties. */
export function bestF1(scores: ArrayLike<number>, labels: ArrayLike<Label>): BestF1 {
  const { steps: s, pos } = steps(scores, labels);
  let best: BestF1 = { f1: NaN, threshold: NaN, precision: NaN, recall: NaN };
  if (pos === 0) return best;
  for (const st of s) {
    const precision = st.tp / (st.tp + st.fp);
    const recall = st.tp / pos;
    const f1 = st.tp === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    if (!(f1 <= best.f1)) best = { f1, threshold: st.threshold, precision, recall };
  }
  return best;
}

/** Counts when every score >= threshold is flagged as defective. */
export function confusionAt(scores: ArrayLike<number>, labels: ArrayLike<Label>, threshold: number): Confusion {
  check(scores, labels);
  const c: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < scores.length; i++) {
    const flagged = scores[i] >= threshold;
    if (isPositive(labels[i])) { if (flagged) c.tp++; else c.fn++; } else if (flagged) c.fp++; else c.tn++;
  }
  return c;
}
