// @vitest-environment happy-dom
// From a list in Results (a lot's flagged parts, a followed folder's new ones) to the keyboard queue of only those,
// and back to every flagged part: the real App over the memory client.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ApiProvider } from '../../../src-renderer/state/api-context';
import { App } from '../../../src-renderer/app/App';
import { DEFAULT_FILTERS, setRememberedFilters } from '../../../src-renderer/state/result-filters';
import { setReviewScope } from '../../../src-renderer/state/review-scope';
import { memoryClient, ranked, stubCanvas } from './helpers';

beforeAll(stubCanvas);
afterEach(() => {
  cleanup();
  setRememberedFilters(DEFAULT_FILTERS);
  setReviewScope(null);
  location.hash = '';
});

function setup() {
  const model = { id: 5, projectId: 1, name: 'line model', status: 'ready', createdAt: '', options: {}, scoreKind: 'ssim', datasetSize: 6, backend: null,
    trainingSeconds: 1, epochKept: 1, validation: null, scoredCount: 3, unscoredCount: 0 };
  const api = memoryClient({
    'projects.list': () => [{ id: 1, name: 'P', createdAt: '', imageCount: 3 }],
    'models.list': () => [model],
    'jobs.list': () => [],
    'follow.get': () => null,
    'library.folders': () => [],
    'thresholds.get': () => ({ current: { id: 1, modelId: 5, value: 0.5, lower: null, source: 'manual', createdAt: '' }, history: [] }),
    'results.ranking': () => ({ total: 1, offset: 0, items: [ranked(1, 0.9)] }),
    'reviews.queue': (i) => {
      const all = [ranked(1, 0.9), ranked(2, 0.8)];
      const items = Object.keys(i.scope as object).length ? all.slice(0, 1) : all;
      return { total: items.length, offset: 0, items, remaining: items.length };
    },
    'results.image': (i) => ({
      image: ranked(i.imageId as number, 0.9), modelId: 5, raw: { ssim: 0.9 }, scoreKind: 'ssim', score: 0.9, calibrated: 2, percentile: 99, rank: 1,
      total: 3, flagged: true, uncertain: false, threshold: 0.5, urls: { original: null, thumb: null, recon: null, diff: null }, reviews: [], reviewsBefore: [], countedAs: null,
    }),
    'results.histogram': () => ({ min: 0, max: 1, labelSource: 'label', bins: [] }),
    'export.results': (i) => ({ filename: 'line_model-list.csv', mime: 'text/csv', text: `image_id,path\r\n1,/p/SN4711.png\r\n${JSON.stringify(i.filter)}`, rows: 1 }),
  });
  render(
    <ApiProvider client={api.client}>
      <App />
    </ApiProvider>,
  );
  return api;
}

describe('Review these', () => {
  it('reviews only the list Results shows, says so, and goes back to every flagged part', async () => {
    setRememberedFilters({ ...DEFAULT_FILTERS, flagged: true, notTrained: true, lot: { id: 8, name: '/line/cam of 12/1/2026' } });
    location.hash = '#/results';
    const api = setup();
    fireEvent.click(await screen.findByRole('button', { name: 'Review these' }));
    await waitFor(() => expect(location.hash).toBe('#/review'));
    // The queue asks for the list's scope; flagged and unreviewed are the queue's own.
    await waitFor(() => expect(api.named('reviews.queue').at(-1)?.input).toMatchObject({ modelId: 5, scope: { notTrained: true, lot: 8 } }));
    expect((await screen.findByTestId('review-scope')).textContent).toMatch(/^Only: not trained on, lot \/line\/cam of 12\/1\/2026\. /);
    expect(screen.getByText(/0 of 1 reviewed/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Review all flagged parts' }));
    await waitFor(() => expect(api.named('reviews.queue').at(-1)?.input).toMatchObject({ scope: {} }));
    await waitFor(() => expect(screen.getByText(/0 of 2 reviewed/)).toBeTruthy());
    expect(screen.queryByTestId('review-scope')).toBeNull();
  });

  it('offers nothing to narrow when Results shows every part', async () => {
    location.hash = '#/results';
    setup();
    await screen.findByRole('heading', { name: 'Results' });
    await screen.findByText(/of 3 scored images/);
    expect(screen.queryByRole('button', { name: 'Review these' })).toBeNull();
  });
});

describe('Export these', () => {
  it('downloads the list Results shows as CSV, flagged at the threshold it previews', async () => {
    setRememberedFilters({ ...DEFAULT_FILTERS, flagged: true, name: ' SN47 ' });
    location.hash = '#/results';
    const saved: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) { saved.push(this.download); });
    try {
      const api = setup();
      fireEvent.click(await screen.findByRole('button', { name: 'Export these' }));
      await waitFor(() => expect(saved).toEqual(['line_model-list.csv']));
      expect(api.named('export.results').map((c) => c.input)).toEqual([{ modelId: 5, format: 'csv', filter: { flagged: true, name: 'SN47' } }]);
    } finally {
      click.mockRestore();
    }
  });

  it('offers it only for a list narrower than every scored part', async () => {
    location.hash = '#/results';
    setup();
    await screen.findByText(/of 3 scored images/);
    expect(screen.queryByRole('button', { name: 'Export these' })).toBeNull();
  });
});
