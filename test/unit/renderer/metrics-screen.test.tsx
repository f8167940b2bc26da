// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { ApiProvider } from '../../../src-renderer/state/api-context';
import { WorkspaceProvider } from '../../../src-renderer/state/workspace';
import { MetricsScreen } from '../../../src-renderer/metrics/MetricsScreen';
import { memoryClient, stubCanvas } from './helpers';

beforeAll(stubCanvas);
afterEach(cleanup);

const model = { id: 5, projectId: 1, name: 'tyre', status: 'done', createdAt: '', options: {}, scoreKind: 'recon-z', datasetSize: 239, backend: null, trainingSeconds: 1, epochKept: 1, validation: null, scoredCount: 112 };

function setup(shifted: { good: number; defective: number } | null, kindsShifted: Array<number | null>) {
  const api = memoryClient({
    'projects.list': () => [{ id: 1, name: 'P', createdAt: '', imageCount: 112 }],
    'models.list': () => [model],
    'jobs.list': () => [],
    // The tyre's figures at seed 0: 25 good, 87 defective in three kinds.
    'metrics.get': () => ({
      available: true, positives: 82, negatives: 25, auroc: 0.751, averagePrecision: 0.913, roc: [], pr: [],
      bestF1: { f1: 0.9, threshold: 0.5, precision: 0.9, recall: 0.9 }, heldOutF1: { f1: 0.84, precision: 0.85, recall: 0.83, folds: 5, tp: 68, fp: 12, fn: 14 },
      baseline: { auroc: 0.606, averagePrecision: 0.847, lead: { low: 0.019, high: 0.27 } },
      byDefectKind: ['contamination', 'cut', 'hole'].map((kind, i) => ({ kind, parts: [28, 27, 27][i], auroc: 0.8, baselineAuroc: 0.6, caught: null, shifted: kindsShifted[i] })),
      shifted,
    }),
  });
  render(<ApiProvider client={api.client}><WorkspaceProvider><MetricsScreen /></WorkspaceProvider></ApiProvider>);
}

describe('metrics screen', () => {
  it('warns when a kind of defect mostly differs from the good parts as a whole, and shows the count per kind', async () => {
    setup({ good: 1, defective: 30 }, [28, 2, 0]);
    expect((await screen.findByTestId('shift-warning')).textContent).toMatch(/^contamination \(28 of 28\): most of these parts differ from the good parts as a whole/);
    expect(screen.getByRole('columnheader', { name: 'Differ as a whole' })).toBeTruthy();
    // Best F1 beside the F1 its threshold gets on parts it was not chosen on.
    expect(screen.getByTestId('held-out-f1').textContent).toBe('on parts it was not chosen on (5 folds): 0.840');
  });

  it('warns about good parts captured unlike the training images first, and says nothing when the model cannot tell', async () => {
    setup({ good: 21, defective: 63 }, [28, 18, 17]);
    expect((await screen.findByTestId('shift-warning')).textContent).toMatch(/^21 of 25 good parts differ from the good parts held out of training/);
    cleanup();
    setup(null, [null, null, null]);
    await screen.findByTestId('auroc');
    expect(screen.queryByTestId('shift-warning')).toBeNull();
    expect(screen.queryByText('Differ as a whole')).toBeNull();
  });
});
