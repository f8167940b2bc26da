// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ApiProvider } from '../../../src-renderer/state/api-context';
import { WorkspaceProvider } from '../../../src-renderer/state/workspace';
import { ReviewSession } from '../../../src-renderer/review/ReviewScreen';
import { memoryClient, ranked, stubCanvas } from './helpers';
import { setReviewerName } from '../../../src-renderer/state/reviewer';

beforeAll(stubCanvas);
afterEach(() => {
  cleanup();
  setReviewerName('');
});

function setup(failAdd = false, slowAdd = false, noThreshold = false) {
  let threshold = !noThreshold;
  const reviews: Array<{ imageId: number; decision: string | null; note: string }> = [];
  const queue = [ranked(1, 0.9), ranked(2, 0.8, { review: { id: 7, imageId: 2, modelId: 5, decision: 'good', note: '', createdAt: '', reverts: null } }), ranked(3, 0.7)];
  const api = memoryClient({
    'projects.list': () => [{ id: 1, name: 'P', createdAt: '', imageCount: 3 }],
    'models.list': () => [],
    'jobs.list': () => [],
    'reviews.queue': () => {
      if (!threshold) throw Object.assign(new Error('Model 5 has no threshold yet: set one to build the review queue'), { code: 'conflict' });
      return { total: queue.length, offset: 0, items: queue, remaining: 2 };
    },
    'thresholds.suggest': () => ({ method: 'percentile', value: 0.75, percentile: 99, basis: '99th percentile of 8 validation scores' }),
    'thresholds.set': (i) => {
      threshold = true;
      return { id: 1, modelId: 5, value: i.value, lower: null, source: i.source, createdAt: '' };
    },
    'reviews.add': async (i) => {
      if (slowAdd) await new Promise((r) => setTimeout(r, 50));
      if (failAdd) throw new Error('database is locked: try again');
      reviews.push({ imageId: i.imageId as number, decision: i.decision as string, note: i.note as string });
      return { id: reviews.length, imageId: i.imageId, modelId: 5, decision: i.decision, note: i.note, createdAt: '', reverts: null };
    },
    'reviews.undo': (i) => {
      reviews.push({ imageId: i.imageId as number, decision: null, note: '' });
      return null;
    },
    'results.image': (i) => ({
      image: ranked(i.imageId as number, 0.5), modelId: 5, raw: { 'recon-top1': 0.5 }, scoreKind: 'recon-top1', score: 0.5,
      calibrated: 2, percentile: 99, rank: 1, total: 3, flagged: true, uncertain: false, threshold: 0.6,
      urls: { original: null, thumb: null, recon: null, diff: null }, reviews: [], reviewsBefore: [], countedAs: null,
    }),
    'results.histogram': () => ({ min: 0, max: 1, labelSource: 'label', bins: [{ from: 0, to: 0.5, good: 1, defect: 0, unlabeled: 0 }, { from: 0.5, to: 1, good: 0, defect: 2, unlabeled: 0 }] }),
  });
  render(
    <ApiProvider client={api.client}>
      <WorkspaceProvider>
        <ReviewSession modelId={5} />
      </WorkspaceProvider>
    </ApiProvider>,
  );
  return { api, reviews };
}

const key = (k: string, init: KeyboardEventInit = {}) => act(() => void fireEvent.keyDown(window, { key: k, ...init }));

describe('review screen', () => {
  it('builds the queue once a threshold is saved from its empty state in one click', async () => {
    const { api } = setup(false, false, true);
    expect(await screen.findByText('Set a threshold first')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Flag what scores above 99 % of the good validation images' }));
    await waitFor(() => expect(api.named('thresholds.set').map((c) => c.input)).toEqual([{ modelId: 5, value: 0.75, lower: null, source: 'percentile' }]));
    act(() => api.emit({ name: 'library.changed', payload: { projectId: 1, what: 'thresholds' } }));
    expect(await screen.findByText('1 / 3')).toBeTruthy();
  });

  it('starts at the first unreviewed image and saves each keyboard decision at once', async () => {
    const { api, reviews } = setup();
    await screen.findByText(/1 of 3 reviewed/);
    expect(screen.getByText('1 / 3')).toBeTruthy();
    key('d');
    await waitFor(() => expect(reviews).toEqual([{ imageId: 1, decision: 'defect', note: '' }]));
    expect(screen.getByText('2 / 3')).toBeTruthy();
    key('j');
    expect(screen.getByText('3 / 3')).toBeTruthy();
    key('g');
    await waitFor(() => expect(reviews.at(-1)).toEqual({ imageId: 3, decision: 'good', note: '' }));
    expect(screen.getByText(/3 of 3 reviewed/)).toBeTruthy();
    key('k');
    key('ArrowUp');
    expect(screen.getByText('1 / 3')).toBeTruthy();
    key('z');
    await waitFor(() => expect(api.named('reviews.undo').map((c) => c.input.imageId)).toEqual([3]));
    expect(screen.getByText('3 / 3')).toBeTruthy();
    expect(screen.getByText(/2 of 3 reviewed/)).toBeTruthy();
  });

  it('saves who decides with each decision and undo, by the name given on the screen, kept for the next session', async () => {
    const { api } = setup();
    expect((await screen.findByTestId('reviewer')).textContent).toBe('Decisions are saved without a name. Add your name');
    fireEvent.click(screen.getByRole('button', { name: 'Add your name' }));
    const field = screen.getByLabelText('Your name');
    fireEvent.change(field, { target: { value: ' A. Jensen ' } });
    fireEvent.keyDown(field, { key: 'd' });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.getByTestId('reviewer').textContent).toBe('Decisions are saved as A. Jensen. Change');
    expect(localStorage.getItem('inspector.reviewer')).toBe('A. Jensen');
    expect(api.named('reviews.add')).toEqual([]); // the key typed into the name decided nothing
    key('d');
    await waitFor(() => expect(api.named('reviews.add').map((c) => c.input)).toEqual([{ imageId: 1, modelId: 5, decision: 'defect', note: '', reviewer: 'A. Jensen' }]));
    key('z');
    await waitFor(() => expect(api.named('reviews.undo').map((c) => c.input)).toEqual([{ imageId: 1, reviewer: 'A. Jensen' }]));
    // Another takes over, or nobody signs: the name goes, and decisions are saved without one.
    fireEvent.click(screen.getByRole('button', { name: 'Change' }));
    fireEvent.change(screen.getByLabelText('Your name'), { target: { value: '  ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.getByTestId('reviewer').textContent).toBe('Decisions are saved without a name. Add your name');
    expect(localStorage.getItem('inspector.reviewer')).toBeNull();
    key('g');
    await waitFor(() => expect(api.named('reviews.add').at(-1)!.input).toMatchObject({ decision: 'good', reviewer: '' }));
  });

  it('sends the note with the decision and ignores keys typed into the note', async () => {
    const { reviews } = setup();
    const note = await screen.findByLabelText('Note');
    fireEvent.change(note, { target: { value: 'crack at corner' } });
    fireEvent.keyDown(note, { key: 'g' });
    expect(reviews).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: /Defect/ }));
    await waitFor(() => expect(reviews).toEqual([{ imageId: 1, decision: 'defect', note: 'crack at corner' }]));
    expect((screen.getByLabelText('Note') as HTMLInputElement).value).toBe('');
  });

  it('shows the failure and the stored state when a decision cannot be saved', async () => {
    const { api } = setup(true);
    await screen.findByText('1 / 3');
    key('u');
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', expect.stringContaining('database is locked'));
    await waitFor(() => expect(api.named('reviews.queue').length).toBe(2));
    await waitFor(() => expect(screen.getByText('1 / 3')).toBeTruthy());
  });

  it('sends an undo only after the decision it reverts has been saved', async () => {
    const { reviews } = setup(false, true);
    await screen.findByText('1 / 3');
    key('d');
    key('z');
    await waitFor(() => expect(reviews).toEqual([{ imageId: 1, decision: 'defect', note: '' }, { imageId: 1, decision: null, note: '' }]));
  });
});
