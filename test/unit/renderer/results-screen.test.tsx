// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ApiProvider } from '../../../src-renderer/state/api-context';
import { WorkspaceProvider } from '../../../src-renderer/state/workspace';
import { ResultsScreen } from '../../../src-renderer/results/ResultsScreen';
import { memoryClient, ranked } from './helpers';

afterEach(cleanup);

function setup(more: Parameters<typeof memoryClient>[0] = {}) {
  const model = { id: 5, projectId: 1, name: 'first', status: 'ready', createdAt: '', options: {}, scoreKind: 'ssim', datasetSize: 6, backend: null,
    trainingSeconds: 1, epochKept: 1, validation: null, scoredCount: 2, unscoredCount: 0 };
  const api = memoryClient({
    'projects.list': () => [{ id: 1, name: 'P', createdAt: '', imageCount: 2 + model.unscoredCount }],
    'models.list': () => [{ ...model }],
    'jobs.list': () => [],
    'library.folders': () => [],
    'thresholds.get': () => ({ current: null, history: [] }),
    'results.ranking': () => ({ total: 2, offset: 0, items: [ranked(1, 0.9), ranked(2, 0.3)] }),
    'scoring.start': () => ({ jobId: 7, modelId: 5 }),
    ...more,
  });
  render(
    <ApiProvider client={api.client}>
      <WorkspaceProvider>
        <ResultsScreen />
      </WorkspaceProvider>
    </ApiProvider>,
  );
  return { api, model };
}

describe('results screen', () => {
  it('says when imported images are not in the ranking yet, and scores only those', async () => {
    const { api, model } = setup();
    expect(await screen.findByText(/2 of 2 scored images/)).toBeTruthy();
    expect(screen.queryByText(/not scored by/)).toBeNull();
    // The next day's parts are imported: the workspace asks for the models again and the notice appears.
    model.unscoredCount = 20;
    act(() => api.emit({ name: 'library.changed', payload: { what: 'images', projectId: 1 } }));
    expect(await screen.findByText(/20 images of this project are not scored by first yet, so they are not in its ranking\./)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Score them' }));
    await waitFor(() => expect(api.named('scoring.start').map((c) => c.input)).toEqual([{ modelId: 5, scope: 'missing' }]));
    act(() => api.emit({ name: 'job.progress', payload: { jobId: 7, kind: 'score', status: 'running', projectId: 1, modelId: 5, phase: 'scoring', progress: 0.5 } }));
    expect(await screen.findByText('Scoring: 20 images of this project are not in the ranking yet.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Score them' })).toBeNull();
    model.unscoredCount = 0;
    model.scoredCount = 22;
    act(() => api.emit({ name: 'job.progress', payload: { jobId: 7, kind: 'score', status: 'done', projectId: 1, modelId: 5, phase: 'done', progress: 1 } }));
    await waitFor(() => expect(screen.queryByText(/not in the ranking|not scored by/)).toBeNull());
  });

  it('flags, in one click before any threshold, what scores above 99 % of the good validation images', async () => {
    let current: Record<string, unknown> | null = null;
    const { api } = setup({
      'thresholds.get': () => ({ current, history: [] }),
      'thresholds.suggest': () => ({ method: 'percentile', value: 0.7, percentile: 99, basis: '99th percentile of 8 validation scores' }),
      'thresholds.set': (i) => {
        current = { id: 1, modelId: 5, value: i.value, lower: i.lower, source: i.source, createdAt: '' };
        return current;
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'flag what scores above 99 % of the good validation images' }));
    await waitFor(() => expect(api.named('thresholds.set').map((c) => c.input)).toEqual([{ modelId: 5, value: 0.7, lower: null, source: 'percentile' }]));
    expect(api.named('thresholds.suggest').map((c) => c.input)).toEqual([{ modelId: 5, method: 'percentile', percentile: 99 }]);
    act(() => api.emit({ name: 'library.changed', payload: { what: 'thresholds', projectId: 1 } }));
    expect(await screen.findByText(/threshold 0\.7000/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /flag what scores/ })).toBeNull();
  });

  it('calls the first column Rank only in most-anomalous-first order', async () => {
    setup();
    expect(await screen.findByRole('columnheader', { name: 'Rank' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Sort', { selector: 'select' }), { target: { value: 'newest' } });
    expect(await screen.findByRole('columnheader', { name: '#' })).toBeTruthy();
    expect(screen.queryByRole('columnheader', { name: 'Rank' })).toBeNull();
  });
});
