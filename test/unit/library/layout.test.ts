import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isMaskPath, labelFromPath, trainingFolder } from '../../../src-main/library/layout';

const root = '/data/bottle';
const at = (rel: string) => labelFromPath(join(root, rel), root);

describe('labelFromPath', () => {
  it('reads the MVTec layout', () => {
    expect(at('train/good/000.png')).toEqual({ label: 'good', split: 'train', defectType: null });
    expect(at('test/good/000.png')).toEqual({ label: 'good', split: 'test', defectType: null });
    expect(at('test/broken_large/000.png')).toEqual({ label: 'defect', split: 'test', defectType: 'broken_large' });
    expect(at('test/Crack/deep/000.png')).toEqual({ label: 'defect', split: 'test', defectType: 'Crack' });
  });

  it('knows the usual words for good and defective parts, in any case', () => {
    for (const word of ['good', 'OK', 'Normal']) expect(at(`${word}/a.png`).label).toBe('good');
    for (const word of ['ng', 'NG', 'defect', 'defective', 'Bad', 'defects']) expect(at(`${word}/a.png`).label).toBe('defect');
    expect(at('line-3/ng/a.png')).toEqual({ label: 'defect', split: null, defectType: null });
    expect(at('test/defective/a.png')).toEqual({ label: 'defect', split: 'test', defectType: null });
  });

  it('lets the innermost label folder win', () => {
    expect(at('good/rejected/bad/a.png').label).toBe('defect');
    expect(at('bad/recheck/ok/a.png').label).toBe('good');
  });

  it('gives no label to uncertain ratings, masks, loose files and paths outside the root', () => {
    expect(at('test/likely_defective/a.png')).toEqual({ label: null, split: 'test', defectType: null });
    expect(at('test/maybe_defective/a.png')).toEqual({ label: null, split: 'test', defectType: null });
    expect(at('ground_truth/crack/000_mask.png')).toEqual({ label: null, split: null, defectType: null });
    expect(isMaskPath(join(root, 'ground_truth/crack/000_mask.png'), root)).toBe(true);
    expect(isMaskPath(join(root, 'test/crack/000.png'), root)).toBe(false);
    expect(at('a.png')).toEqual({ label: null, split: null, defectType: null });
    expect(at('batch-7/a.png')).toEqual({ label: null, split: null, defectType: null });
    expect(at('train/a.png')).toEqual({ label: null, split: 'train', defectType: null });
    expect(labelFromPath('/elsewhere/good/a.png', root)).toEqual({ label: null, split: null, defectType: null });
    // "good" in the root's own name says nothing about the file.
    expect(labelFromPath('/data/good/a.png', '/data/good')).toEqual({ label: null, split: null, defectType: null });
  });
});

describe('trainingFolder', () => {
  const made: string[] = [];
  afterAll(async () => Promise.all(made.map((d) => rm(d, { recursive: true, force: true }))));

  it('picks train/good when the MVTec layout is there, else the root', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'layout-'));
    made.push(dir);
    expect(trainingFolder(dir)).toBe(dir);
    await mkdir(join(dir, 'train'));
    expect(trainingFolder(dir)).toBe(dir);
    await mkdir(join(dir, 'train', 'Good'));
    expect(trainingFolder(dir)).toBe(join(dir, 'train', 'Good'));
    expect(trainingFolder(join(dir, 'missing'))).toBe(join(dir, 'missing'));
  });
});
