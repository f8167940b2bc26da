import { describe, expect, it } from 'vitest';
import { IDENTITY, clampView, panBy, wheelFactor, zoomAt } from '../../../src-renderer/components/zoom-pan';
import { pagesForRange } from '../../../src-renderer/components/paged';
import { appendLosses, emptySeries, seriesFromHistory } from '../../../src-renderer/train/loss-series';
import { parseTrainForm } from '../../../src-renderer/train/train-form';
import { regionFromDrag } from '../../../src-renderer/train/region-drag';
import { cropText, optionsLine } from '../../../src-renderer/components/model-text';
import { trainingDefaults } from '../../../src-main/engine/options';
import { parseRoute, routeHash } from '../../../src-renderer/state/route-parse';
import { escapeHtml, reportHtml, type ReportData } from '../../../src-renderer/export/report-html';
import { decisionWords } from '../../../src-renderer/components/decision-words';
import { digitsToTellApart, folderAndName, formatDuration, formatNumber, formatScore } from '../../../src-renderer/components/format';
import { syntheticLine } from '../../../src-renderer/train/synthetic-line';
import { shiftWarningOf } from '../../../src-renderer/components/verdict-of';
import type { MetricsResult } from '../../../src-renderer/api/client';

describe('zoom and pan', () => {
  it('keeps the point under the cursor fixed and the image covering the panel', () => {
    const v = zoomAt(IDENTITY, 2, 50, 50, 100, 100);
    expect(v).toEqual({ scale: 2, x: -50, y: -50 });
    // image point under (50,50) before: 50; after: (50 - x) / scale = 50
    expect((50 - v.x) / v.scale).toBe(50);
    expect(zoomAt(v, 0.1, 10, 10, 100, 100)).toEqual(IDENTITY);
    expect(panBy(v, 500, -500, 100, 100)).toEqual({ scale: 2, x: 0, y: -100 });
    expect(clampView({ scale: 1000, x: 0, y: 0 }, 10, 10).scale).toBe(32);
    expect(wheelFactor(-100)).toBeGreaterThan(1);
    expect(wheelFactor(100)).toBeLessThan(1);
  });
});

describe('paging', () => {
  it('lists the pages a visible range needs, bounded by the total', () => {
    expect(pagesForRange(0, 10, 100, null)).toEqual([0]);
    expect(pagesForRange(95, 205, 100, 1000)).toEqual([0, 1, 2]);
    expect(pagesForRange(95, 205, 100, 150)).toEqual([0, 1]);
    expect(pagesForRange(10, 5, 100, 1000)).toEqual([]);
    expect(pagesForRange(0, 5, 100, 0)).toEqual([]);
  });
});

describe('loss series', () => {
  it('places points at fractional epochs and skips repeats and events without losses', () => {
    let s = emptySeries();
    s = appendLosses(s, { epoch: 1, batch: 1, batches: 4, losses: { errD: 1, errG: 50 } });
    s = appendLosses(s, { epoch: 1, batch: 1, batches: 4, losses: { errD: 9, errG: 9 } });
    s = appendLosses(s, { epoch: 1, batch: 2, batches: 4 });
    s = appendLosses(s, { epoch: 2, batch: 4, batches: 4, losses: { errD: 0.5, errG: 40, errGCon: 0.7 } });
    expect(s.x).toEqual([0.25, 2]);
    expect(s.y.errD).toEqual([1, 0.5]);
    expect(s.y.errGCon).toEqual([null, 0.7]);
    expect(seriesFromHistory([{ epoch: 1, losses: { errD: 2 } }, { epoch: 2, losses: { errD: 1 } }]).x).toEqual([1, 2]);
  });
});

describe('training form', () => {
  const defaults = { options: { isize: 32, epochs: 15, batchSize: 64, scoreKind: 'recon-top1', lr: 0.0002 } as const, fields: trainingDefaults().fields };
  it('sends only changed options and explains bad values per field', () => {
    expect(parseTrainForm({ isize: '32', epochs: '1', batchSize: '16', scoreKind: 'recon-top1' }, defaults)).toEqual({ options: { epochs: 1, batchSize: 16 }, errors: {} });
    const bad = parseTrainForm({ isize: '40', epochs: '1.5', batchSize: 'abc', nz: '0', lr: '2', scoreKind: 'nope' }, defaults);
    expect(bad.errors).toEqual({ isize: 'A multiple of 16', epochs: 'Enter a whole number', batchSize: 'Enter a number', nz: 'At least 1', lr: 'At most 1', scoreKind: 'Choose one of auto, recon-top1, ssim, feature, latent, recon-z' });
    expect(optionsLine({ isize: 32, epochs: 1, batchSize: 16, nz: 100 })).toBe('32 px · 1 epoch · batch 16 · nz 100');
  });

  it('takes the crop scale as a word or a number, and names it', () => {
    expect(parseTrainForm({ crop: 'whole' }, defaults)).toEqual({ options: { crop: 'whole' }, errors: {} });
    expect(parseTrainForm({ crop: '2.5' }, defaults)).toEqual({ options: { crop: 2.5 }, errors: {} });
    expect(parseTrainForm({ crop: 'half' }, defaults).errors).toEqual({ crop: 'Enter auto, whole or a number' });
    expect(parseTrainForm({ crop: '0.5' }, defaults).errors).toEqual({ crop: 'At least 1' });
    expect(cropText(null, 32)).toBe('whole image');
    expect(cropText(3.906, 32)).toBe('patches at 1/3.91 scale (125 px of the original each)');
  });

  it('takes the inspection region as left,top,width,height in percent, drawn or typed, and names it', () => {
    expect(parseTrainForm({ region: ' 10, 0, 80 , 100 ' }, defaults)).toEqual({ options: { region: '10,0,80,100' }, errors: {} });
    expect(parseTrainForm({ region: '' }, defaults)).toEqual({ options: {}, errors: {} });
    expect(parseTrainForm({ region: '50,0,60,100' }, defaults).errors).toEqual({
      region: 'Region "50,0,60,100": left + width is 110 %, past the image\'s right edge (100 %)',
    });
    expect(parseTrainForm({ region: 'left' }, defaults).errors.region).toMatch(/^Region must be left,top,width,height in percent/);
    // A drag from either corner gives the same box, clamped to the image; a click is no region.
    expect(regionFromDrag({ x: 0.8, y: 0.9 }, { x: 0.1, y: -0.2 })).toEqual({ left: 10, top: 0, width: 70, height: 90 });
    expect(regionFromDrag({ x: 0.1234, y: 0.5 }, { x: 0.5, y: 1.5 })).toEqual({ left: 12.3, top: 50, width: 37.7, height: 50 });
    expect(regionFromDrag({ x: 0.5, y: 0.5 }, { x: 0.51, y: 0.9 })).toBeNull();
    expect(optionsLine({ isize: 32, region: '0,0,75,100' })).toBe('32 px · region x 0–75 %, y 0–100 %');
    expect(optionsLine({ isize: 32, region: 'written by a later version' })).toBe('32 px');
    expect(parseTrainForm({ leaveOut: '40,10,20,10 ;0,80,10,20;' }, defaults)).toEqual({ options: { leaveOut: '40,10,20,10; 0,80,10,20' }, errors: {} });
    expect(parseTrainForm({ leaveOut: '40,10,20' }, defaults).errors.leaveOut).toMatch(/^Left-out area 1 must be left,top,width,height/);
    expect(optionsLine({ isize: 32, leaveOut: '40,10,20,10; 0,80,10,20' })).toBe('32 px · 2 areas left out');
    expect(parseTrainForm({ region: '10,10,20,20', leaveOut: '0,80,10,20; 5,5,30,30' }, defaults).errors).toEqual({
      leaveOut: 'Left-out area 2 covers the whole inspection region: nothing would be left to inspect',
    });
    expect(parseTrainForm({ leaveOut: '0,0,100,100' }, defaults).errors.leaveOut).toMatch(/covers the whole image/);
  });
});

describe('routes and formatting', () => {
  it('parses hash routes and falls back to the library', () => {
    expect(parseRoute('#/compare/42')).toEqual({ screen: 'compare', imageId: 42 });
    expect(parseRoute('#/nope')).toEqual({ screen: 'library', imageId: null });
    expect(parseRoute('')).toEqual({ screen: 'library', imageId: null });
    expect(routeHash({ screen: 'review', imageId: null })).toBe('#/review');
    expect(formatDuration(3725)).toBe('1 h 02 min');
    expect(formatDuration(65)).toBe('1 min 05 s');
    expect(formatNumber(12345)).toBe('12,345');
    expect(formatNumber(NaN)).toBe('—');
    // MVTec-style sets restart their file names in each kind's folder: the tile names the folder.
    expect(folderAndName('hole', '000.png')).toBe('hole/000.png');
    expect(folderAndName('', 'loose.png')).toBe('loose.png');
  });
});

describe('html report', () => {
  it("names who made a part's current decision in the report's review column, when a name was given", () => {
    expect(decisionWords({ decision: 'defect', reviewer: 'A. Jensen' })).toBe('defect (A. Jensen)');
    expect(decisionWords({ decision: 'good', reviewer: null })).toBe('good');
    expect(decisionWords(null)).toBe('');
    expect(decisionWords({ decision: null, reviewer: 'B. Okafor' })).toBe(''); // an undo back to unreviewed
  });

  it('escapes user text and embeds the chart without scripts', () => {
    const d: ReportData = {
      title: 'Report <m>', project: 'P&Q', generatedAt: 'now',
      model: { name: 'm"1', scoreKind: 'recon-top1', options: '32 px', datasetSize: 470, backend: 'wasm (CPU)', trainedSeconds: 12.4 },
      threshold: { value: 0.5, lower: null, source: 'best-f1' },
      counts: { total: 100, flagged: 25, uncertain: 0, reviewed: 3 },
      confusion: { tp: 20, fp: 5, tn: 70, fn: 5 },
      metrics: { auroc: 0.91, averagePrecision: 0.8, bestF1: 0.75, heldOutF1: 0.7, baselineAuroc: 0.88, verdict: 'The model is only narrowly ahead <of> it', shiftWarning: null },
      byDefectKind: [{ kind: 'cut<1>', parts: 12, auroc: 0.95, baselineAuroc: 0.7, caught: 11, shifted: null }, { kind: null, parts: 3, auroc: 0.5, baselineAuroc: 0.9, caught: null, shifted: null }],
      top: [{ rank: 1, path: '/x/<script>.png', score: 0.99, label: 'defect', review: 'defect' }],
    };
    const html = reportHtml(d, 'data:image/png;base64,AAA');
    expect(html).toContain('Report &lt;m&gt;');
    expect(html).toContain('/x/&lt;script&gt;.png');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('<img src="data:image/png;base64,AAA"');
    expect(html).toContain('25 (25.0 %)');
    expect(html).toContain('0.910');
    // Beside the model's figures, the baseline's and the comparison in words.
    expect(html).toContain('<th>Model-free baseline AUROC</th><td>0.880</td>');
    expect(html).toContain('<th>Best F1</th><td>0.750</td></tr><tr><th>Best F1 on parts it was not chosen on</th><td>0.700</td>');
    expect(html).toContain('<p>The model is only narrowly ahead &lt;of&gt; it</p>');
    // Per kind of defect: which kinds it misses.
    expect(html).toContain('<tr><td>cut&lt;1&gt;</td><td class="n">12</td><td class="n">0.950</td><td class="n">0.700</td><td class="n">11 of 12</td></tr>');
    expect(html).toContain('<tr><td>no kind (an ng/defect folder, or reviewed defect)</td><td class="n">3</td><td class="n">0.500</td><td class="n">0.900</td><td class="n">—</td></tr>');
    expect(html).not.toContain('Differ as a whole'); // the model cannot tell
    expect(escapeHtml(`a&'"`)).toBe('a&amp;&#39;&quot;');
  });

  it('gives the capture-shift warning and how many of each kind differ as a whole when the model can tell', () => {
    const d: ReportData = {
      title: 'r', project: 'p', generatedAt: 'now',
      model: { name: 'm', scoreKind: 'recon-z', options: '', datasetSize: 239, backend: 'wasm', trainedSeconds: null },
      threshold: null, counts: { total: 112, flagged: 0, uncertain: 0, reviewed: 0 }, confusion: null,
      metrics: { auroc: 0.75, averagePrecision: 0.9, bestF1: 0.8, heldOutF1: null, baselineAuroc: 0.6, verdict: null, shiftWarning: 'contamination (28 of 28): most <differ>' },
      byDefectKind: [{ kind: 'contamination', parts: 28, auroc: 0.89, baselineAuroc: 0.99, caught: null, shifted: 28 }, { kind: 'cut', parts: 27, auroc: 0.58, baselineAuroc: 0.55, caught: null, shifted: 18 }],
      top: [],
    };
    const html = reportHtml(d, null);
    expect(html).toContain('<p>contamination (28 of 28): most &lt;differ&gt;</p>');
    expect(html).toContain('<th>Flagged at the threshold</th><th>Differ as a whole</th>');
    expect(html).toContain('<tr><td>contamination</td><td class="n">28</td><td class="n">0.890</td><td class="n">0.990</td><td class="n">—</td><td class="n">28 of 28</td></tr>');
  });
});

describe('the capture-shift warning on metrics', () => {
  const metrics = (over: Partial<MetricsResult>): MetricsResult => ({
    available: true, positives: 30, negatives: 25, auroc: 0.75, averagePrecision: 0.9, roc: [], pr: [], bestF1: null, heldOutF1: null, baseline: null,
    byDefectKind: [], shifted: { good: 2, defective: 20 }, ...over,
  });

  it('judges the defective parts as one group, or each kind when the table shows kinds', () => {
    expect(shiftWarningOf(metrics({}))).toMatch(/^defective parts \(20 of 30\): most of these parts differ/);
    const kinds = [{ kind: 'cut', parts: 10, auroc: 0.6, baselineAuroc: 0.5, caught: null, shifted: 2 }, { kind: null, parts: 20, auroc: 0.9, baselineAuroc: 0.8, caught: null, shifted: 18 }];
    expect(shiftWarningOf(metrics({ byDefectKind: kinds }))).toMatch(/^defective parts of no kind \(18 of 20\): most/);
    expect(shiftWarningOf(metrics({ shifted: { good: 13, defective: 20 } }))).toMatch(/^13 of 25 good parts differ/);
    expect(shiftWarningOf(metrics({ shifted: { good: 0, defective: 15 } }))).toBeNull();
    expect(shiftWarningOf(metrics({ shifted: null }))).toBeNull();
  });
});

describe('numbers you can read', () => {
  it('gives as many digits as it takes to tell neighbouring scores apart, four at least', () => {
    // A weak model: raw scores that differ only past the fourth digit.
    const weak = [1.00183, 1.00181, 1.00179, 1.0018, 1.00183];
    const d = digitsToTellApart(weak);
    expect(d).toBe(5);
    expect(new Set(weak.map((v) => formatScore(v, d))).size).toBe(4);
    expect(digitsToTellApart([0.12, 0.5, 0.91])).toBe(4);
    expect(digitsToTellApart([1.0015, 1.002, 1.0025], 0)).toBe(4); // histogram ticks
    expect(digitsToTellApart([0, 0.5, 1], 0)).toBe(1);
    expect(digitsToTellApart([null, undefined, Number.NaN, 2])).toBe(4);
    expect(formatScore(null)).toBe('—');
  });

  it('the report tells its top parts and threshold apart', () => {
    const top = [1.00183, 1.00181, 1.00179].map((score, i) => ({ rank: i + 1, path: `/p/${i}.png`, score, label: 'good', review: '' }));
    const html = reportHtml({
      title: 'r', project: 'p', generatedAt: 'now',
      model: { name: 'm', scoreKind: 'recon-top1', options: '', datasetSize: 1, backend: 'wasm', trainedSeconds: null },
      threshold: { value: 1.0018, lower: null, source: 'set by hand' },
      counts: { total: 3, flagged: 2, uncertain: 0, reviewed: 0 }, confusion: null, metrics: null, byDefectKind: [], top,
    }, null);
    for (const text of ['1.00183', '1.00181', '1.00179', '1.00180 (set by hand)']) expect(html).toContain(text);
  });
});

describe('saved loss names', () => {
  it('reads the generator parts from saved histories under the engine\'s names (the store maps its columns once)', () => {
    const s = seriesFromHistory([{ epoch: 1, losses: { errD: 1, errG: 2, errGAdv: 3, errGCon: 4, errGEnc: 5 } }]);
    expect([s.y.errGAdv[0], s.y.errGCon[0], s.y.errGEnc[0]]).toEqual([3, 4, 5]);
  });
});

describe('models table: synthetic-defect figure', () => {
  it('shows the model kind\'s AUROC beside the baseline, and a dash for models saved before the check', () => {
    const v = { synthetic: { auroc: { 'recon-top1': 0.8, ssim: 0.9312, baseline: 0.7 } } };
    expect(syntheticLine(v, 'ssim')).toBe('0.931 (baseline 0.700)');
    expect(syntheticLine({ calibration: {} }, 'ssim')).toBe('—');
    expect(syntheticLine(null, 'recon-top1')).toBe('—');
  });
});
