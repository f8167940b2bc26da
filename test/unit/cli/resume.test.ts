import { describe, expect, it } from 'vitest';
import { latestAttempts } from '../../../src-main/cli/resume';
import type { Job } from '../../../src-main/store';

const job = (id: number, kind: Job['kind'], modelId: number, status: Job['status']): Job => ({
  id, kind, status, projectId: 1, params: { modelId }, progress: 0, phase: null, message: null, createdAt: id, startedAt: null,
  finishedAt: null, result: null,
});

describe('latestAttempts', () => {
  it('keeps only the newest attempt per kind and model, so older interrupted ones are not resumed twice', () => {
    const jobs = [job(1, 'train', 1, 'interrupted'), job(2, 'train', 1, 'interrupted'), job(3, 'score', 1, 'interrupted'), job(4, 'train', 2, 'done')];
    expect(latestAttempts(jobs).map((j) => j.id)).toEqual([4, 3, 2]);
  });
});
