// Ranking, counts, histogram and export checked against a plain JavaScript computation over the same rows.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decision, Label, RankingFilter, Split, Store } from '../../../src-main/store';
import { fakeImage, tempStore } from './helpers';

interface Ref {
  imageId: number;
  importId: number;
  score: number;
  label: Label | null;
  split: Split | null;
  folder: string;
  path: string;
  decision: Decision | null;
}

// Deterministic pseudo-random numbers (mulberry32) so failures reproduce.
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

describe('scores, ranking and score statistics', () => {
  let t: ReturnType<typeof tempStore>;
  let store: Store;
  let modelId: number;
  const ref: Ref[] = [];
  const imports: number[] = [];
  const trained: number[] = [];
  const T = 0.6;

  beforeAll(() => {
    t = tempStore();
    store = t.store;
    const rand = rng(42);
    const p = store.projects.create('p');
    const labels: (Label | null)[] = ['good', 'defect', null];
    const splits: (Split | null)[] = ['train', 'test', null];
    const decisions: Decision[] = ['good', 'defect', 'unsure'];
    imports.push(...['/d/a', '/d/b', '/d/c'].map((root) => store.imports.start(p.id, [root]).id));
    expect(imports).toEqual([1, 2, 3]);
    const rows = store.transaction(() =>
      Array.from({ length: 300 }, (_, k) => {
        const label = labels[k % 3];
        const split = splits[Math.floor(k / 3) % 3];
        const folder = `/d/f${k % 4}`;
        const importId = imports[k % 7 % 3];
        // Serial numbers in the file names, some in lower case (a search by name is any case).
        const path = `${folder}/part-${k % 2 ? 'SN' : 'sn'}${1000 + k}.png`;
        const id = store.images.insert(fakeImage(p.id, { label, split, folder, importId, path })).id;
        // Rounded to two decimals so many scores tie and paging must break ties by image id.
        return { imageId: id, score: Math.round(rand() * 100) / 100, label, split, folder, path, importId, decision: null as Decision | null };
      }),
    );
    // Every tenth image trained or validated on.
    trained.push(...rows.filter((_, k) => k % 10 === 0).map((r) => r.imageId));
    modelId = store.models.create({ projectId: p.id, name: 'm', options: {}, trainImageIds: trained }).id;
    store.scores.write(modelId, rows.map((r) => ({ imageId: r.imageId, score: r.score, latent: r.score, calibrated: r.score / 2 })));
    for (const r of rows) {
      if (rand() < 0.3) {
        // Two reviews for some images: only the latter may count.
        if (rand() < 0.5) store.reviews.add({ imageId: r.imageId, decision: 'unsure' });
        r.decision = decisions[Math.floor(rand() * 3)];
        store.reviews.add({ imageId: r.imageId, decision: r.decision, note: `n${r.imageId}` });
      }
      ref.push(r);
    }
    store.thresholds.set(modelId, { value: 0.3, source: 'best-f1' });
    store.thresholds.set(modelId, { value: T, lower: 0.5, source: 'manual' });
  });
  afterAll(() => t.done());

  const byRank = (a: Ref, b: Ref) => b.score - a.score || a.imageId - b.imageId;
  const matches = (r: Ref, f: RankingFilter, threshold = T) =>
    (f.label === undefined || r.label === (f.label === 'none' ? null : f.label)) &&
    (f.split === undefined || r.split === (f.split === 'none' ? null : f.split)) &&
    (f.folder === undefined || r.folder === f.folder) &&
    (f.nameHas === undefined || r.path.slice(r.folder.length + 1).toLowerCase().includes(f.nameHas.toLowerCase())) &&
    (f.importIds === undefined || f.importIds.includes(r.importId)) &&
    (!f.notTrained || !trained.includes(r.imageId)) &&
    (f.flagged === undefined || (r.score >= threshold) === f.flagged) &&
    (!f.unreviewed || r.decision === null) &&
    (f.decision === undefined || r.decision === (f.decision === 'none' ? null : f.decision));

  const filters: RankingFilter[] = [
    {},
    { flagged: true },
    { flagged: false },
    { unreviewed: true },
    { label: 'defect' },
    { label: 'none' },
    { split: 'test' },
    { folder: '/d/f2' },
    { decision: 'defect' },
    { flagged: true, unreviewed: true, label: 'good', split: 'train' },
    // A lot's imports (the Threshold screen's Show); a fresh library numbers them 1, 2, 3.
    { importIds: [1, 3] },
    { flagged: true, importIds: [2] },
    // The model's own images left out (the banner's and the lots' Show).
    { notTrained: true },
    { flagged: true, unreviewed: true, notTrained: true, importIds: [2, 3] },
    // A part asked for by its serial number, in any case; the folder's name is not the file's ("f2" finds nothing).
    { nameHas: 'sn102' },
    { nameHas: 'SN1101', flagged: true },
    { nameHas: 'f2' },
    { nameHas: '%' },
  ];

  it.each(filters)('ranks with filter %j the same by keyset and offset paging', (f) => {
    const expected = ref.filter((r) => matches(r, f)).sort(byRank).map((r) => r.imageId);
    const keyset: number[] = [];
    let page = store.ranking.rank(modelId, f, { limit: 17 });
    for (;;) {
      keyset.push(...page.rows.map((r) => r.imageId));
      if (!page.next) break;
      page = store.ranking.rank(modelId, f, { limit: 17, after: page.next });
    }
    expect(keyset).toEqual(expected);
    const offset: number[] = [];
    for (let o = 0; o < expected.length + 17; o += 17) {
      offset.push(...store.ranking.rank(modelId, f, { limit: 17, offset: o }).rows.map((r) => r.imageId));
    }
    expect(offset).toEqual(expected);
  });

  it('orders ascending on request and reports flag, band and latest review per row', () => {
    const asc = store.ranking.rank(modelId, {}, { order: 'asc', limit: 1000 }).rows.map((r) => r.imageId);
    expect(asc).toEqual([...ref].sort(byRank).reverse().map((r) => r.imageId));
    const rows = store.ranking.rank(modelId, {}, { limit: 1000 }).rows;
    for (const row of rows) {
      const r = ref.find((x) => x.imageId === row.imageId)!;
      expect(row.flagged).toBe(r.score >= T);
      expect(row.uncertain).toBe(r.score >= 0.5 && r.score < T);
      expect(row.decision).toBe(r.decision);
      expect(row.note).toBe(r.decision ? `n${r.imageId}` : null);
      expect(row.calibrated).toBeCloseTo(r.score / 2);
    }
  });

  it('derives flagged from the threshold: an override changes the flags without rewriting scores', () => {
    const page = store.ranking.rank(modelId, { flagged: true }, { threshold: 0.9, limit: 1000 });
    expect(page.threshold).toBe(0.9);
    expect(page.rows.map((r) => r.imageId)).toEqual(
      ref.filter((r) => r.score >= 0.9).sort(byRank).map((r) => r.imageId),
    );
  });

  it.each([undefined, 0.25, 0.9])('counts at threshold %s by label and latest review', (override) => {
    const th = override ?? T;
    const c = store.stats.countsAt(modelId, override)!;
    expect(c.threshold).toBe(th);
    expect(c.total).toBe(ref.length);
    expect(c.flagged).toBe(ref.filter((r) => r.score >= th).length);
    expect(c.uncertain).toBe(th >= 0.5 ? ref.filter((r) => r.score >= 0.5 && r.score < th).length : 0);
    for (const label of ['good', 'defect', 'none'] as const) {
      const ofLabel = ref.filter((r) => (r.label ?? 'none') === label);
      expect(c.byLabel[label]).toEqual({
        flagged: ofLabel.filter((r) => r.score >= th).length,
        passed: ofLabel.filter((r) => r.score < th).length,
      });
    }
    for (const d of ['good', 'defect', 'unsure', 'none'] as const) {
      const ofD = ref.filter((r) => (r.decision ?? 'none') === d);
      expect(c.byDecision[d]).toEqual({
        flagged: ofD.filter((r) => r.score >= th).length,
        passed: ofD.filter((r) => r.score < th).length,
      });
    }
    expect(c.flaggedUnreviewed).toBe(ref.filter((r) => r.score >= th && r.decision === null).length);
  });

  it('counts one lot\u2019s parts apart from the others\u2019 (the index is kept per filter)', () => {
    const all = store.stats.countsAt(modelId)!;
    const lot = store.stats.countsAt(modelId, undefined, { importIds: [2] })!;
    const ofLot = ref.filter((r) => r.importId === 2);
    expect(lot.total).toBe(ofLot.length);
    expect(lot.flagged).toBe(ofLot.filter((r) => r.score >= T).length);
    expect(store.stats.countsAt(modelId)!.total).toBe(all.total);
    expect(all.total).toBeGreaterThan(lot.total);
    // And without the model's own images.
    const fresh = store.stats.countsAt(modelId, undefined, { importIds: [2], notTrained: true })!;
    expect(fresh.total).toBe(ofLot.filter((r) => !trained.includes(r.imageId)).length);
    expect(fresh.flagged).toBe(ofLot.filter((r) => !trained.includes(r.imageId) && r.score >= T).length);
    expect(fresh.total).toBeLessThan(lot.total);
    // A serial number's parts are counted apart too.
    const serial = store.stats.countsAt(modelId, undefined, { nameHas: 'Sn102' })!;
    expect(serial.total).toBe(10);
    expect(store.stats.countsAt(modelId, undefined, { nameHas: 'f2' })?.total ?? 0).toBe(0);
  });

  it('counts with a filter, and sees every write made after a cached count', () => {
    const c = store.stats.countsAt(modelId, T, { unreviewed: true, label: 'good' })!;
    const sel = ref.filter((r) => r.decision === null && r.label === 'good');
    expect(c.total).toBe(sel.length);
    expect(c.flagged).toBe(sel.filter((r) => r.score >= T).length);

    const p = store.projects.create('fresh-counts');
    const ids = [0.1, 0.5, 0.9].map(() => store.images.insert(fakeImage(p.id, { label: 'good' })).id);
    const m = store.models.create({ projectId: p.id, name: 'm', options: {}, trainImageIds: ids });
    store.scores.write(m.id, ids.slice(0, 2).map((imageId, k) => ({ imageId, score: [0.1, 0.5][k] })));
    expect(store.stats.countsAt(m.id, 0.4)).toMatchObject({ total: 2, flagged: 1, unreviewed: 2 });
    store.scores.write(m.id, [{ imageId: ids[2], score: 0.9 }]);
    expect(store.stats.countsAt(m.id, 0.4)).toMatchObject({ total: 3, flagged: 2 });
    store.reviews.add({ imageId: ids[2], decision: 'defect' });
    expect(store.stats.countsAt(m.id, 0.4)?.byDecision.defect).toEqual({ flagged: 1, passed: 0 });
    store.images.setLabel(ids[0], 'defect', null);
    expect(store.stats.countsAt(m.id, 0.4)?.byLabel.defect).toEqual({ flagged: 0, passed: 1 });
    // A write through another connection (another process) is seen too.
    const other = new Database(t.file);
    other.prepare("UPDATE images SET missing = 1 WHERE id = ?").run(ids[1]);
    other.close();
    expect(store.stats.countsAt(m.id, 0.4)).toMatchObject({ total: 2, flagged: 1 });
  });

  it('builds a histogram whose bins hold exactly the scores between their edges', () => {
    const h = store.stats.histogram(modelId, 7)!;
    const scores = ref.map((r) => r.score);
    expect(h.min).toBe(Math.min(...scores));
    expect(h.max).toBe(Math.max(...scores));
    expect(h.edges).toHaveLength(8);
    // Bin k holds edges[k] <= s < edges[k + 1]; the last one also holds the max.
    const binOf = (s: number) => Math.min(h.edges.findLastIndex((e) => s >= e), 6);
    const expected = new Array(7).fill(0);
    for (const s of scores) expected[binOf(s)] += 1;
    expect(h.total).toEqual(expected);
    for (const d of ['good', 'defect', 'unsure', 'none'] as const) {
      const perBin = new Array(7).fill(0);
      for (const r of ref) if ((r.decision ?? 'none') === d) perBin[binOf(r.score)] += 1;
      expect(h.byDecision[d]).toEqual(perBin);
    }
    const filtered = store.stats.histogram(modelId, 7, { label: 'defect' })!;
    expect(filtered.total.reduce((a, b) => a + b, 0)).toBe(ref.filter((r) => r.label === 'defect').length);
    const flagged = store.stats.histogram(modelId, 4, { flagged: true })!;
    expect(flagged.min).toBe(Math.min(...scores.filter((x) => x >= T)));
    expect(flagged.total.reduce((a, b) => a + b, 0)).toBe(scores.filter((x) => x >= T).length);
    expect(store.stats.histogram(modelId, 4, { folder: '/nowhere' })).toBeNull();
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(h.byLabel.defect)).toBe(ref.filter((r) => r.label === 'defect').length);
    expect(sum(h.byDecision.none)).toBe(ref.filter((r) => r.decision === null).length);
    expect(h.total.map((_, k) => h.byLabel.good[k] + h.byLabel.defect[k] + h.byLabel.none[k])).toEqual(h.total);
    expect(() => store.stats.histogram(modelId, 0)).toThrow(/bins/);
  });

  it('exports every scored row with flag and latest review', () => {
    const rows = store.stats.exportRows(modelId);
    expect(rows.map((r) => r.imageId)).toEqual([...ref].sort(byRank).map((r) => r.imageId));
    const one = rows.find((r) => r.decision !== null)!;
    expect(one).toMatchObject({ note: `n${one.imageId}`, flagged: one.score >= T });
    expect(one.path).toMatch(/\.png$/);
  });

  it('lists the images still to score, so a scoring job can resume', () => {
    const p = store.projects.create('resume');
    const ids = [1, 2, 3, 4, 5].map(() => store.images.insert(fakeImage(p.id)).id);
    store.images.setMissing(ids[4], true);
    const m = store.models.create({ projectId: p.id, name: 'm', options: {}, trainImageIds: ids });
    expect(store.scores.toScoreCount(m.id)).toBe(4);
    store.scores.write(m.id, [{ imageId: ids[1], score: 1 }]);
    expect(store.scores.toScore(m.id).map((r) => r.id)).toEqual([ids[0], ids[2], ids[3]]);
    expect(store.scores.toScore(m.id, 1, ids[0]).map((r) => r.id)).toEqual([ids[2]]);
    store.scores.write(m.id, [{ imageId: ids[1], score: 2, reconTop1: 0.5 }]);
    expect(store.scores.get(m.id, ids[1])).toMatchObject({ score: 2, reconTop1: 0.5, latent: null });
    expect(store.scores.count(m.id)).toBe(1);
    expect(() => store.scores.write(m.id, [{ imageId: ids[0], score: 3 }, { imageId: ids[2], score: NaN }])).toThrow(
      /finite/,
    );
    expect(store.scores.count(m.id)).toBe(1); // the whole batch rolled back
    expect(() => store.ranking.rank(m.id, { flagged: true })).toThrow(/no threshold/);
    expect(store.stats.countsAt(m.id)).toBeNull();
  });
});
