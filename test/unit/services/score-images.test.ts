// The scoring pipeline of `score`, `eval` and the scoring job: batches in order, each batch's maps on disk
// before its scores are handed on (the next batch is scored meanwhile), the same scores as one plain batch,
// a bad file reported without losing the others, and a stop that ends the run after the batch in flight.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src-main/engine/backends/select';
import { loadModel, saveModel, type LoadedModel } from '../../../src-main/engine/checkpoint';
import { scoreBatch } from '../../../src-main/engine/scoring';
import { disposeNets } from '../../../src-main/engine/train-step';
import { train } from '../../../src-main/engine/trainer';
import { loadBatch } from '../../../src-main/library/prepare';
import { scoreInBatches, type BatchResult, type MapPaths } from '../../../src-main/services/score-images';
import { makeParts, partsImageSet } from '../../fixtures/synthetic-parts';
import { writePartFolder } from '../../fixtures/part-images';

describe('scoreInBatches', () => {
  let dir: string;
  let model: LoadedModel;
  let paths: string[];

  beforeAll(async () => {
    await selectBackend('wasm');
    dir = await mkdtemp(join(tmpdir(), 'score-images-'));
    const parts = makeParts({ count: 16, isize: 16, seed: 3 });
    const r = await train({ set: partsImageSet(parts), options: { nz: 8, ngf: 8, ndf: 8, batchSize: 8, epochs: 1, seed: 1 }, workers: 1 });
    await saveModel(join(dir, 'model'), { snapshot: r.snapshot, backend: { name: 'wasm', gpu: false, threads: 1, detail: 'test' }, trainingSetHash: 'h', trainingHashes: [] });
    disposeNets(r.nets);
    model = await loadModel(join(dir, 'model'));
    await writePartFolder(join(dir, 'parts'), { trainGood: 0, testGood: 4, testDefect: 4, size: 24 });
    paths = ['good/good000', 'good/good001', 'good/good002', 'good/good003', 'scratch/defect000', 'scratch/defect001', 'scratch/defect002', 'scratch/defect003']
      .map((p) => join(dir, 'parts', 'test', `${p}.png`));
  }, 120_000);

  afterAll(async () => {
    model?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  const mapsIn = (sub: string) => (ref: { path: string; id: number }): MapPaths =>
    ({ recon: join(dir, sub, `${ref.id}-recon.png`), diff: join(dir, sub, `${ref.id}-diff.png`) });

  it('hands on batches in order, after their maps exist, with the scores of one plain batch', async () => {
    const refs = paths.map((path, id) => ({ path, id }));
    const seen: { ends: number; ids: number[]; mapsThere: boolean }[] = [];
    const withMaps: number[] = [];
    await scoreInBatches(model, refs, 3, mapsIn('maps'), (b: BatchResult<{ path: string; id: number }>, end) => {
      seen.push({ ends: end, ids: b.scored.map((s) => s.ref.id), mapsThere: b.scored.every((s) => existsSync(s.maps!.recon) && existsSync(s.maps!.diff)) });
      withMaps.push(...b.scored.map((s) => s.raw['recon-top1']));
    });
    expect(seen.map((s) => s.ends)).toEqual([3, 6, 8]);
    expect(seen.flatMap((s) => s.ids)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(seen.every((s) => s.mapsThere)).toBe(true);

    const all: number[] = [];
    const withoutMaps: number[] = [];
    await scoreInBatches(model, refs, 3, undefined, (b) => {
      all.push(...b.scored.map((s) => s.raw.latent));
      withoutMaps.push(...b.scored.map((s) => s.raw['recon-top1']));
    });
    // With maps these PNGs are decoded once for both; the scores must not notice.
    expect(withMaps).toEqual(withoutMaps);
    const plain = await scoreBatch(model, await loadBatch(paths, 16, 1), paths.length);
    all.forEach((v, i) => expect(v).toBeCloseTo(plain.raw.latent[i], 5));
  });

  it('reports a corrupt file and scores the rest; a stop ends after the batch in flight', async () => {
    const bad = join(dir, 'broken.png');
    await writeFile(bad, 'not an image');
    const refs = [paths[0], bad, ...paths.slice(1)].map((path, id) => ({ path, id }));
    const failed: number[] = [];
    let scored = 0;
    await scoreInBatches(model, refs, 4, undefined, (b) => { failed.push(...b.failed.map((f) => f.ref.id)); scored += b.scored.length; });
    expect(failed).toEqual([1]);
    expect(scored).toBe(8);

    let calls = 0;
    await scoreInBatches(model, refs, 2, mapsIn('stopped'), () => { calls++; return false; });
    expect(calls).toBe(1);
  });
});
