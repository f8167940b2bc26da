// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { ApiProvider } from '../../../src-renderer/state/api-context';
import { WorkspaceProvider } from '../../../src-renderer/state/workspace';
import { CompareView } from '../../../src-renderer/components/CompareView';
import { memoryClient, ranked, stubCanvas } from './helpers';

beforeAll(stubCanvas);
afterEach(cleanup);

function show(threshold: number | null, flagged: boolean, shift: { value: number; limit: number; differs: boolean } | null = null, region: string | null = null, leaveOut: string | null = null, reviews: unknown[] = [], reviewsBefore: unknown[] = [], countedAs: string | null = null) {
  const api = memoryClient({
    'projects.list': () => [{ id: 1, name: 'P', createdAt: '', imageCount: 3 }],
    'models.list': () => [],
    'jobs.list': () => [],
    'results.image': (i) => ({
      image: ranked(i.imageId as number, 0.9), modelId: 5, raw: { ssim: 0.9 }, scoreKind: 'ssim', score: 0.9,
      calibrated: 4, percentile: 100, rank: 1, total: 3, flagged, uncertain: false, threshold, shift,
      region, leaveOut, patchScale: null, isize: 32,
      urls: { original: 'media://image/1/original', thumb: null, recon: null, diff: null, region: (region || leaveOut) && 'media://image/1/region?model=5' }, reviews, reviewsBefore, countedAs,
    }),
    'results.histogram': () => ({ min: 0, max: 1, labelSource: 'label', bins: [{ from: 0, to: 1, good: 2, defect: 1, unlabeled: 0 }] }),
  });
  render(<ApiProvider client={api.client}><WorkspaceProvider><CompareView modelId={5} imageId={1} /></WorkspaceProvider></ApiProvider>);
}

describe('compare view', () => {
  it('says a part is not flagged only once a threshold exists (before, the top-ranked defect read as a green "not flagged")', async () => {
    show(null, false);
    expect(await screen.findByText('no threshold')).toBeTruthy();
    expect(screen.queryByText('not flagged')).toBeNull();
    cleanup();
    show(0.95, false);
    expect(await screen.findByText('not flagged')).toBeTruthy();
    cleanup();
    show(0.5, true);
    expect(await screen.findByText('flagged')).toBeTruthy();
  });

  it('marks a part that differs as a whole, and shows its capture shift beside the limit when the model can tell', async () => {
    show(0.5, true, { value: 0.412, limit: 0.183, differs: true });
    expect((await screen.findByTestId('differs-as-a-whole')).textContent).toBe('differs as a whole');
    expect(screen.getByText('Capture shift').nextElementSibling!.textContent).toBe('0.412 (limit 0.183)');
    cleanup();
    show(0.5, true, { value: 0.1, limit: 0.183, differs: false });
    expect(await screen.findByText('Capture shift')).toBeTruthy();
    expect(screen.queryByTestId('differs-as-a-whole')).toBeNull();
    cleanup();
    show(0.5, true); // a patch model, or one saved before the limit
    await screen.findByText('flagged');
    expect(screen.queryByText('Capture shift')).toBeNull();
  });

  it('shows the original cut to the model\'s inspection region, its left-out areas filled, as the model saw it and as its maps are', async () => {
    show(0.5, true, null, '0,0,75,100');
    expect((await screen.findByTestId('compare-region')).textContent).toBe('x 0–75 %, y 0–100 % of each image');
    expect(screen.getByText('Scored on').nextElementSibling!.textContent).toBe('the whole region');
    const originals = () => screen.getAllByRole('img', { name: /, original( under heatmap)?$/ }).map((i) => i.getAttribute('src'));
    expect(originals()).toEqual(['media://image/1/region?model=5', 'media://image/1/region?model=5']);
    expect(screen.queryByTestId('compare-left-out')).toBeNull();
    cleanup();
    // Areas left out of the whole image: named, and the original shown with them filled.
    show(0.5, true, null, null, '40,10,20,10; 0,80,10,20');
    expect((await screen.findByTestId('compare-left-out')).textContent).toBe('x 40–60 %, y 10–20 %; x 0–10 %, y 80–100 % (filled with each image\'s mean)');
    expect(screen.queryByTestId('compare-region')).toBeNull();
    expect(originals()).toEqual(['media://image/1/region?model=5', 'media://image/1/region?model=5']);
    cleanup();
    show(0.5, true);
    await screen.findByText('flagged');
    expect(screen.queryByTestId('compare-region')).toBeNull();
    expect(originals()).toEqual(['media://image/1/original', 'media://image/1/original']);
  });

  it('says who made each review in the history, and who made the current decision on its badge', async () => {
    const at = (m: number) => new Date(Date.UTC(2026, 11, 2, 9, m)).toISOString();
    // Newest first, as results.image gives them (the api-http test holds the server to it): the badge is the newest's.
    show(0.5, true, null, null, null, [
      { id: 2, imageId: 1, modelId: 5, decision: 'good', note: '', createdAt: at(2), reverts: null, reviewer: null },
      { id: 1, imageId: 1, modelId: 5, decision: 'defect', note: 'crack at edge', createdAt: at(1), reverts: null, reviewer: 'A. Jensen' },
    ]);
    expect(await screen.findByText('Review history (2)')).toBeTruthy();
    const items = screen.getAllByRole('listitem').map((li) => li.textContent);
    expect(items).toEqual([
      `${new Date(at(2)).toLocaleString()} · good`,
      `${new Date(at(1)).toLocaleString()} · defect by A. Jensen — crack at edge`,
    ]);
    expect(screen.getByText('good', { selector: '.badge' }).getAttribute('title')).toBe(`good, ${new Date(at(2)).toLocaleString()}`);
    expect(document.querySelector('.badge.decision-defect')).toBeNull();
    expect(screen.queryByTestId('reviews-before')).toBeNull();
  });

  it('shows the reviews a part had before its folder was taken out, and how a new model counts it until it is reviewed again', async () => {
    const at = (d: number) => new Date(Date.UTC(2026, 11, d, 9)).toISOString();
    const before = [
      { id: 8, imageId: 3, modelId: 5, decision: 'defect', note: 'burr', createdAt: at(1), reverts: null, reviewer: 'A. Jensen', removedAt: at(2) },
      { id: 7, imageId: 3, modelId: 5, decision: 'good', note: '', createdAt: at(1), reverts: null, reviewer: null, removedAt: at(2) },
    ];
    show(0.5, true, null, null, null, [], before, 'defect');
    const box = await screen.findByTestId('reviews-before');
    expect(box.querySelector('summary')!.textContent).toBe('Reviewed before its folder was taken out (2)');
    expect(box.querySelector('p')!.textContent).toBe('Until it is reviewed again, a new model’s training set counts it as defect, as it was when it went.');
    expect([...box.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      `${new Date(at(1)).toLocaleString()} · defect by A. Jensen — burr · taken out ${new Date(at(2)).toLocaleString()}`,
      `${new Date(at(1)).toLocaleString()} · good · taken out ${new Date(at(2)).toLocaleString()}`,
    ]);
    expect(screen.getByText('unreviewed')).toBeTruthy(); // nobody has reviewed this import
    cleanup();
    // Reviewed again: its own decision counts, the earlier ones are history.
    show(0.5, true, null, null, null, [{ id: 9, imageId: 1, modelId: 5, decision: 'good', note: '', createdAt: at(3), reverts: null, reviewer: null }], before);
    expect((await screen.findByTestId('reviews-before')).querySelector('p')).toBeNull();
  });
});
