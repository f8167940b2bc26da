// The one-page report as a standalone HTML file: no scripts and no remote content, so it opens
// anywhere and prints to PDF. The histogram comes in as a PNG data URL taken from the uPlot canvas.
export interface ReportData {
  title: string;
  project: string;
  model: { name: string; scoreKind: string; options: string; datasetSize: number; backend: string; trainedSeconds: number | null };
  generatedAt: string;
  /** source: how it was chosen, in words (thresholdSourceText). */
  threshold: { value: number; lower: number | null; source: string } | null;
  counts: { total: number; flagged: number; uncertain: number; reviewed: number };
  confusion: { tp: number; fp: number; tn: number; fn: number } | null;
  /** baselineAuroc: the model-free baseline on the same parts; verdict: that comparison in words (shared/verdict);
   *  shiftWarning: parts captured unlike the training images (shared/capture-shift), or null. */
  metrics: {
    auroc: number | null; averagePrecision: number | null; bestF1: number | null; baselineAuroc: number | null; verdict: string | null; shiftWarning: string | null;
    /** Best F1 on parts its threshold was not chosen on (metrics.get's heldOutF1), or null. */
    heldOutF1: number | null;
  } | null;
  /** Per kind of defect (metrics.get's byDefectKind): empty for a single kind. */
  byDefectKind: DefectKindFigures[];
  top: Array<{ rank: number; path: string; score: number; label: string; review: string }>;
}

import type { DefectKindFigures } from '../api/client';
import { digitsToTellApart, formatScore } from '../components/format';
import { defectKindName } from '../components/model-text';

/** Score decimals for the report: enough to tell its top parts and its threshold apart. */
export function reportScoreDigits(d: Pick<ReportData, 'top' | 'threshold'>): number {
  return digitsToTellApart([...d.top.map((t) => t.score), d.threshold?.value, d.threshold?.lower]);
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESC[c]);
}

const num = (n: number | null | undefined, d = 3): string => (n === null || n === undefined || !Number.isFinite(n) ? '—' : Number.isInteger(n) ? n.toLocaleString('en-US') : n.toFixed(d));
const pct = (a: number, b: number): string => (b ? `${((a / b) * 100).toFixed(1)} %` : '—');

export function reportHtml(d: ReportData, chartPng: string | null): string {
  const e = escapeHtml;
  const c = d.confusion;
  const digits = reportScoreDigits(d);
  const rows = (pairs: Array<[string, string]>) => pairs.map(([k, v]) => `<tr><th>${e(k)}</th><td>${e(v)}</td></tr>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${e(d.title)}</title>
<style>
body{font:13px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#111;margin:24px auto;max-width:820px}
h1{font-size:20px;margin:0 0 2px}h2{font-size:14px;margin:18px 0 6px;border-bottom:1px solid #ddd;padding-bottom:3px}
.muted{color:#666}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:3px 8px;border-bottom:1px solid #eee}
td.n{text-align:right;font-variant-numeric:tabular-nums}.grid{display:grid;grid-template-columns:1fr 1fr;gap:16px}
img{max-width:100%}.path{word-break:break-all;font-size:11px}@page{margin:14mm}
</style></head><body>
<h1>${e(d.title)}</h1>
<div class="muted">${e(d.project)} · model ${e(d.model.name)} · ${e(d.generatedAt)}</div>
<div class="grid">
<section><h2>Model</h2><table>${rows([
    ['Score', d.model.scoreKind],
    ['Options', d.model.options],
    ['Trained on', `${num(d.model.datasetSize)} images`],
    ['Backend', d.model.backend],
    ['Training time', d.model.trainedSeconds === null ? '—' : `${Math.round(d.model.trainedSeconds)} s`],
  ])}</table></section>
<section><h2>Threshold and counts</h2><table>${rows([
    ['Threshold', d.threshold ? `${formatScore(d.threshold.value, digits)} (${d.threshold.source})` : 'not set'],
    ['Uncertain band from', d.threshold?.lower !== null && d.threshold ? formatScore(d.threshold.lower, digits) : '—'],
    ['Scored images', num(d.counts.total)],
    ['Flagged', `${num(d.counts.flagged)} (${pct(d.counts.flagged, d.counts.total)})`],
    ['Uncertain', num(d.counts.uncertain)],
    ['Reviewed', num(d.counts.reviewed)],
  ])}</table></section>
</div>
<h2>Score distribution</h2>
${chartPng ? `<img src="${e(chartPng)}" alt="Histogram of scores with the threshold">` : '<p class="muted">No chart.</p>'}
<div class="grid">
<section><h2>Metrics</h2>${
    d.metrics
      ? `<table>${rows([
          ['AUROC', num(d.metrics.auroc)],
          ['Average precision', num(d.metrics.averagePrecision)],
          ['Best F1', num(d.metrics.bestF1)],
          ['Best F1 on parts it was not chosen on', num(d.metrics.heldOutF1)],
          ['Model-free baseline AUROC', num(d.metrics.baselineAuroc)],
        ])}</table>${[d.metrics.verdict, d.metrics.shiftWarning].map((t) => (t ? `<p>${e(t)}</p>` : '')).join('')}`
      : '<p class="muted">No labels: metrics not available.</p>'
  }</section>
<section><h2>At the threshold</h2>${
    c
      ? `<table><tr><th></th><th>Flagged</th><th>Not flagged</th></tr><tr><th>Defect</th><td class="n">${num(c.tp)}</td><td class="n">${num(c.fn)}</td></tr><tr><th>Good</th><td class="n">${num(c.fp)}</td><td class="n">${num(c.tn)}</td></tr></table>`
      : '<p class="muted">No labels: confusion matrix not available.</p>'
  }</section>
</div>
${d.byDefectKind.length ? kindTable(d.byDefectKind) : ''}
<h2>Most anomalous parts</h2>
<table><tr><th>#</th><th>Image</th><th>Label</th><th>Review</th><th>Score</th></tr>
${d.top.map((t) => `<tr><td class="n">${t.rank}</td><td class="path">${e(t.path)}</td><td>${e(t.label)}</td><td>${e(t.review)}</td><td class="n">${formatScore(t.score, digits)}</td></tr>`).join('\n')}
</table>
</body></html>
`;
}

/** Per kind of defect: AUROC beside the baseline's, flagged at the threshold and, where the model can tell, how many differ as a whole. */
function kindTable(kinds: DefectKindFigures[]): string {
  const e = escapeHtml;
  const shift = kinds.some((k) => k.shifted !== null);
  const of = (n: number | null, parts: number) => (n === null ? '—' : `${num(n)} of ${num(parts)}`);
  return `<h2>By kind of defect</h2>
<table><tr><th>Kind</th><th>Parts</th><th>AUROC</th><th>Model-free baseline</th><th>Flagged at the threshold</th>${shift ? '<th>Differ as a whole</th>' : ''}</tr>
${kinds.map((k) => `<tr><td>${e(defectKindName(k.kind))}</td><td class="n">${num(k.parts)}</td><td class="n">${num(k.auroc)}</td><td class="n">${num(k.baselineAuroc)}</td><td class="n">${of(k.caught, k.parts)}</td>${shift ? `<td class="n">${of(k.shifted, k.parts)}</td>` : ''}</tr>`).join('\n')}
</table>`;
}
