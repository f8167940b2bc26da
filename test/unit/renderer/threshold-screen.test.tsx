// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ApiProvider } from '../../../src-renderer/state/api-context';
import { WorkspaceProvider, useWorkspace } from '../../../src-renderer/state/workspace';
import { ThresholdScreen } from '../../../src-renderer/threshold/ThresholdScreen';
import { memoryClient, stubCanvas } from './helpers';
import { rememberedFilters } from '../../../src-renderer/state/result-filters';

beforeAll(stubCanvas);
afterEach(cleanup);

const model = { id: 5, projectId: 1, name: 'm', status: 'done', createdAt: '', options: {}, scoreKind: 'recon-top1', datasetSize: 10, backend: null, trainingSeconds: 1, epochKept: 1, validation: null, scoredCount: 6 };

function PreviewProbe() {
  const ws = useWorkspace();
  return <output data-testid="preview">{ws.preview ? `${ws.preview.value}` : 'none'}</output>;
}

/** Scores of two lots as `results.scores` sends them: the newest lot's scores, then the older lot's, no labels. */
function twoLots(newest: number[], older: number[]) {
  const scores = [...newest, ...older];
  const none = scores.map(() => null);
  return {
    imageIds: scores.map((_, i) => i + 1), scores, labels: none, decisions: none, trained: scores.map(() => false), defectTypes: none,
    importIds: [...newest.map(() => 8), ...older.map(() => 7)], lotIds: [...newest.map(() => 1), ...older.map(() => 0)],
    lots: [
      { roots: ['/line/cam'], day: '2026-11-30', from: '2026-11-30T08:00:00Z', to: '2026-11-30T16:00:00Z', id: 7, imports: 400 },
      { roots: ['/line/cam'], day: '2026-12-01', from: '2026-12-01T08:00:00Z', to: '2026-12-01T09:30:00Z', id: 8, imports: 90 },
    ],
    shifted: null,
  };
}

function setup(shifted: boolean[] | null = null, scores?: ReturnType<typeof twoLots>) {
  const saved: unknown[] = [];
  const api = memoryClient({
    'projects.list': () => [{ id: 1, name: 'P', createdAt: '', imageCount: 6, dayStart: '00:00' }],
    'models.list': () => [model],
    'jobs.list': () => [],
    // 3 good (0.1, 0.2, 0.6), 2 defect (0.5, 0.9; one by review overriding a good label), 1 unlabelled
    'results.scores': () => scores ?? ({
      imageIds: [1, 2, 3, 4, 5, 6], scores: [0.9, 0.6, 0.5, 0.4, 0.2, 0.1],
      labels: ['defect', 'good', 'good', null, 'good', 'good'], decisions: [null, null, 'defect', null, null, null],
      trained: [false, false, false, false, false, false], defectTypes: [null, null, null, null, null, null],
      // Two lots: import 8 (the newest) brought the three highest, import 7 the rest.
      importIds: [8, 8, 8, 7, 7, 7],
      lotIds: [1, 1, 1, 0, 0, 0],
      lots: [
        { roots: ['/line/lot-a'], day: '2026-11-30', from: '2026-11-30T08:00:00Z', to: '2026-11-30T08:00:00Z', id: 7, imports: 1 },
        { roots: ['/line/lot-b'], day: '2026-12-01', from: '2026-12-01T08:00:00Z', to: '2026-12-01T16:30:00Z', id: 8, imports: 212 },
      ],
      shifted,
    }),
    'thresholds.get': () => ({ current: { id: 1, modelId: 5, value: 0.55, lower: null, source: 'manual', createdAt: '' }, history: [] }),
    'thresholds.suggest': (i) => i.method === 'recall'
      ? { method: 'recall', value: 0.5, recall: 1, basis: 'flags 2 of 2 known defects (100 %, at least 100 % asked) and 1 of 3 good parts (33 %)' }
      : { method: 'best-f1', value: 0.5, f1: 0.8, basis: 'best F1 over 5 labelled images' },
    'thresholds.set': (i) => {
      saved.push(i);
      return { id: 2, modelId: 5, value: i.value, lower: i.lower, source: i.source, createdAt: '' };
    },
    'projects.setDayStart': (i) => ({ id: 1, name: 'P', createdAt: '', imageCount: 6, dayStart: i.dayStart }),
  });
  render(
    <ApiProvider client={api.client}>
      <WorkspaceProvider>
        <ThresholdScreen />
        <PreviewProbe />
      </WorkspaceProvider>
    </ApiProvider>,
  );
  return { api, saved };
}

const text = (id: string) => screen.getByTestId(id).textContent;

describe('threshold screen', () => {
  it('starts at the saved threshold and updates counts and the confusion matrix as the slider moves', async () => {
    setup();
    await screen.findByTestId('flagged-count');
    expect(text('flagged-count')).toBe('2');
    expect(text('tp')).toBe('1');
    expect(text('precision')).toBe('50.0 %');
    fireEvent.change(screen.getByTestId('threshold-slider'), { target: { value: '0.45' } });
    expect(text('flagged-count')).toBe('3');
    expect(text('tp')).toBe('2');
    expect(text('fp')).toBe('1');
    expect(text('tn')).toBe('2');
    expect(text('recall')).toBe('100.0 %');
    expect(text('preview')).toBe('0.45');
    fireEvent.change(screen.getByLabelText('Threshold value'), { target: { value: '0.15' } });
    expect(text('flagged-count')).toBe('5');
  });

  it('shows the flag rate of each lot at the threshold being set, newest first, a followed camera\u2019s day as one', async () => {
    setup();
    const table = await screen.findByRole('table', { name: 'Flagged by lot' });
    const rows = () => [...table.querySelectorAll('[data-testid="batch-row"]')].map((r) => [r.querySelector('.muted')!.textContent, ...[...r.querySelectorAll('.num')].map((c) => c.textContent)]);
    // At 0.55: lot b 0.9 and 0.6 of three; lot a none of 0.4, 0.2, 0.1.
    expect(rows()).toEqual([['/line/lot-b', '3', '2 (66.7 %)'], ['/line/lot-a', '3', '0 (0.0 %)']]);
    // Lot b is a day's 212 looks of a followed folder: one row, with the day's span and its count of imports.
    expect(table.querySelector('[data-testid="batch-row"] td')!.textContent).toMatch(/\(212 imports\)/);
    fireEvent.change(screen.getByLabelText('Threshold value'), { target: { value: '0.3' } });
    expect(rows()).toEqual([['/line/lot-b', '3', '3 (100.0 %)'], ['/line/lot-a', '3', '1 (33.3 %)']]);
    // A model that cannot tell a capture shift (patches) shows no column for it and no warning.
    expect(screen.queryByText('Differ as a whole')).toBeNull();
    expect(screen.queryByTestId('batch-shifted')).toBeNull();
  });

  it('sets when the project\'s day starts, for a shift past midnight, and regroups the lots', async () => {
    const { api } = setup();
    const field = await screen.findByLabelText('A day starts at') as HTMLInputElement;
    expect(field.value).toBe('00:00');
    const set = screen.getByRole('button', { name: 'Set' }) as HTMLButtonElement;
    expect(set.disabled).toBe(true);
    // A time field holds a whole time or nothing: cleared, it is refused here, not sent.
    fireEvent.change(field, { target: { value: '' } });
    fireEvent.click(set);
    expect(await screen.findByText('A day\'s start must be a time of day as hh:mm, 00:00 to 23:59, got ""')).toBeTruthy();
    expect(api.named('projects.setDayStart')).toHaveLength(0);
    const asked = api.named('results.scores').length;
    fireEvent.change(field, { target: { value: '06:00' } });
    fireEvent.click(set);
    await waitFor(() => expect(api.named('projects.setDayStart')[0]?.input).toEqual({ projectId: 1, dayStart: '06:00' }));
    await waitFor(() => expect(api.named('results.scores').length).toBeGreaterThan(asked));
  });

  it('says which import differs from the good parts as a whole: a capture to check before its flags', async () => {
    // Two of lot b's three parts lie beyond the held-out good parts' range as a whole; one of lot a's.
    setup([true, false, true, false, true, false]);
    const table = await screen.findByRole('table', { name: 'Flagged by lot' });
    expect(screen.getByRole('columnheader', { name: 'Differ as a whole' })).toBeTruthy();
    const cells = [...table.querySelectorAll('[data-testid="batch-row"]')].map((r) => [...r.querySelectorAll('.num')].map((c) => c.textContent)[2]);
    expect(cells).toEqual(['2 (66.7 %)', '1 (33.3 %)']);
    // Lot a: one of three is not most.
    expect(text('batch-shifted')).toMatch(/^\/line\/lot-b of \S+ \(2 of 3\): most parts\s+differ from the good parts as a whole, not only at one spot\. Another camera, lighting or part type\? Check the\s+capture before reading its flags as defects\.$/);
  });

  it('marks a lot that flags more than the others beyond chance, and names it with both rates', async () => {
    // Today: 6 of 20 parts above the saved 0.55; yesterday: 2 of 200.
    const today = [...Array(6).fill(0.8), ...Array(14).fill(0.2)];
    const yesterday = [0.9, 0.7, ...Array(198).fill(0.1)];
    setup(null, twoLots(today, yesterday));
    const table = await screen.findByRole('table', { name: 'Flagged by lot' });
    const flaggedCells = () => [...table.querySelectorAll('[data-testid="batch-row"]')].map((r) => r.querySelectorAll('.num')[1].textContent);
    expect(flaggedCells()).toEqual(['▲ 6 (30.0 %)', '2 (1.0 %)']);
    expect(text('batch-jump')).toMatch(/^\/line\/cam of \S+ flags 6 of 20 parts \(30\.0 %\) where the other lots flag 1\.0 % \(2 of 200\): more than chance gives at a 3-sigma control limit \(Fisher's exact test, p = \S+\)\. .*Look at its flagged parts before trusting the threshold\.$/);
    // Show opens Results on that lot's flagged parts, at the threshold on the screen (saved: no preview).
    fireEvent.click(screen.getAllByRole('button', { name: /^Show the flagged parts of \/line\/cam of / })[0]); // today's, on top
    expect(rememberedFilters()).toMatchObject({ flagged: true, notTrained: true, lot: { id: 8 } });
    expect(location.hash).toBe('#/results');
    expect(text('preview')).toBe('none');
    // Above today's parts only yesterday's two are flagged: no jump.
    fireEvent.change(screen.getByLabelText('Threshold value'), { target: { value: '0.85' } });
    expect(flaggedCells()).toEqual(['0 (0.0 %)', '1 (0.5 %)']);
    expect(screen.queryByTestId('batch-jump')).toBeNull();
    // A lot that flags nothing has nothing to show; a threshold not yet saved is previewed in Results.
    expect(screen.getAllByRole('button', { name: /^Show the flagged parts of / })).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: /^Show the flagged parts of / }));
    expect(rememberedFilters()).toMatchObject({ flagged: true, lot: { id: 7 } });
    expect(text('preview')).toBe('0.85');
  });

  it('applies a suggestion, adds an uncertain band and saves with the source', async () => {
    const { saved } = setup();
    await screen.findByTestId('flagged-count');
    fireEvent.click(screen.getByRole('button', { name: 'Best F1' }));
    await screen.findByText('best F1 over 5 labelled images');
    expect(text('flagged-count')).toBe('3');
    fireEvent.click(screen.getByLabelText(/Uncertain band/));
    fireEvent.change(screen.getByLabelText('Lower threshold'), { target: { value: '0.3' } });
    expect(text('uncertain-count')).toBe('1');
    fireEvent.click(screen.getByRole('button', { name: 'Save threshold' }));
    await waitFor(() => expect(saved).toEqual([{ modelId: 5, value: 0.5, lower: 0.3, source: 'best-f1' }]));
    await waitFor(() => expect(text('preview')).toBe('none'));
  });

  it('asks for the threshold that catches a share of the known defects, and saves it as such', async () => {
    const { api, saved } = setup();
    await screen.findByTestId('flagged-count');
    fireEvent.change(screen.getByLabelText('Share of known defects to catch'), { target: { value: '100' } });
    fireEvent.click(screen.getByRole('button', { name: 'Catch known defects' }));
    expect(await screen.findByTestId('suggestion-basis')).toHaveProperty('textContent', 'flags 2 of 2 known defects (100 %, at least 100 % asked) and 1 of 3 good parts (33 %)');
    expect(api.named('thresholds.suggest').map((c) => c.input)).toEqual([{ modelId: 5, method: 'recall', percentile: 99, recall: 100 }]);
    expect(text('tp')).toBe('2');
    fireEvent.change(screen.getByLabelText('Share of known defects to catch'), { target: { value: '40' } });
    expect(screen.getByRole('button', { name: 'Catch known defects' })).toHaveProperty('disabled', true);
    fireEvent.click(screen.getByRole('button', { name: 'Save threshold' }));
    await waitFor(() => expect(saved).toEqual([{ modelId: 5, value: 0.5, lower: null, source: 'recall' }]));
  });

  it('starts from the saved threshold of the newly chosen model when the model changes', async () => {
    const scores = [0.9, 0.6, 0.5, 0.4, 0.2, 0.1];
    const api = memoryClient({
      'projects.list': () => [{ id: 1, name: 'P', createdAt: '', imageCount: 6, dayStart: '00:00' }],
      'models.list': () => [model, { ...model, id: 6, name: 'n' }],
      'jobs.list': () => [],
      // Model 6, shown first (the newest), scores on a ten times larger scale; its saved threshold alike.
      'results.scores': (i) => ({
        imageIds: [1, 2, 3, 4, 5, 6], scores: scores.map((s) => (i.modelId === 6 ? s * 10 : s)),
        labels: ['defect', 'good', 'good', null, 'good', 'good'], decisions: [null, null, null, null, null, null],
        trained: [false, false, false, false, false, false], defectTypes: [null, null, null, null, null, null], importIds: [1, 1, 1, 1, 1, 1],
        lotIds: [0, 0, 0, 0, 0, 0], lots: [{ roots: ['/line'], day: '2026-12-01', from: '2026-12-01T08:00:00Z', to: '2026-12-01T08:00:00Z', id: 1, imports: 1 }],
      }),
      'thresholds.get': (i) => ({ current: { id: 1, modelId: i.modelId, value: i.modelId === 6 ? 5.5 : 0.55, lower: null, source: 'manual', createdAt: '' }, history: [] }),
    });
    function Switch() {
      const ws = useWorkspace();
      return <button onClick={() => ws.setModelId(5)}>switch</button>;
    }
    render(
      <ApiProvider client={api.client}>
        <WorkspaceProvider>
          <ThresholdScreen />
          <Switch />
        </WorkspaceProvider>
      </ApiProvider>,
    );
    await waitFor(() => expect((screen.getByLabelText('Threshold value') as HTMLInputElement).value).toBe('5.5'));
    expect(text('flagged-count')).toBe('2');
    fireEvent.click(screen.getByRole('button', { name: 'switch' }));
    await waitFor(() => expect(api.named('results.scores').some((c) => c.input.modelId === 5)).toBe(true));
    await waitFor(() => expect((screen.getByLabelText('Threshold value') as HTMLInputElement).value).toBe('0.55'));
    expect(text('flagged-count')).toBe('2');
  });
});
