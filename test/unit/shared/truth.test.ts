import { describe, expect, it } from 'vitest';
import { figuresAt, labelledScores, scoreSetOf, truthOf, type ScoredImages } from '../../../src-main/shared/truth';

describe('the truth rule', () => {
  it('lets a good/defect review win over the folder label, ignores unsure and trained images', () => {
    expect(truthOf('good', 'defect')).toBe('defect');
    expect(truthOf('defect', 'unsure')).toBe('defect');
    expect(truthOf(null, 'good')).toBe('good');
    expect(truthOf(null, null)).toBeNull();
    expect(truthOf('good', 'defect', true)).toBeNull();
  });

  it('gives the metrics and the counts the same images', () => {
    const d: ScoredImages = {
      scores: [0.9, 0.8, 0.7, 0.4, 0.3, 0.2],
      labels: ['defect', 'good', null, 'good', 'good', null],
      decisions: [null, 'defect', 'good', 'unsure', null, null],
      trained: [false, false, false, false, true, false],
    };
    const l = labelledScores(d);
    expect(l).toEqual({ scores: [0.9, 0.8, 0.7, 0.4], labels: [1, 1, 0, 0] });
    const f = figuresAt(scoreSetOf(d), 0.75);
    expect({ tp: f.tp, fp: f.fp, tn: f.tn, fn: f.fn, flagged: f.flagged, total: f.total }).toEqual({ tp: 2, fp: 0, tn: 2, fn: 0, flagged: 2, total: 6 });
  });
});
