// @vitest-environment happy-dom
// The followed camera's andon: flagged, unreviewed parts said on every screen and as a system notification.
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ApiProvider } from '../../../src-renderer/state/api-context';
import { App } from '../../../src-renderer/app/App';
import { memoryClient, ranked } from './helpers';
import { lotDay } from '../../../src-main/shared/lots';

/** The browser's Notification API as the page sees it: what was shown, and the permission the user gave. */
class Shown {
  static permission: NotificationPermission = 'granted';
  static requested = 0;
  static all: Shown[] = [];
  static requestPermission = async () => (Shown.requested++, Shown.permission);
  onclick: (() => void) | null = null;
  constructor(public title: string, public options: NotificationOptions) {
    Shown.all.push(this);
  }
}

afterEach(() => {
  cleanup();
  Shown.all = [];
  location.hash = '';
});

function setup(permission: NotificationPermission, first: { count: number; newest: string | null } | null = { count: 2, newest: '2026-12-01T14:31:00Z' }) {
  Shown.permission = permission;
  (globalThis as Record<string, unknown>).Notification = Shown;
  const model = { id: 5, projectId: 1, name: 'line model', status: 'ready', createdAt: '', options: {}, scoreKind: 'ssim', datasetSize: 6, backend: null,
    trainingSeconds: 1, epochKept: 1, validation: null, scoredCount: 2, unscoredCount: 0 };
  const other = { ...model, id: 6, name: 'older model' };
  let waiting = first;
  let lotJump: { id: number; day: string; from: string; parts: number; flagged: number; restParts: number; restFlagged: number } | null = null;
  const api = memoryClient({
    'projects.list': () => [{ id: 1, name: 'P', createdAt: '', imageCount: 2, dayStart: '00:00' }],
    'models.list': () => [other, model],
    'jobs.list': () => [],
    'follow.get': () => ({ projectId: 1, importId: 11, roots: ['/cam'], modelId: 5, everySeconds: 60, since: '2026-12-01T14:02:00Z', lastLook: null,
      lastNew: 0, newTotal: 0, lastError: null, looking: false, flaggedUnreviewed: waiting, lotJump }),
    'library.folders': () => [],
    'thresholds.get': () => ({ current: { id: 1, modelId: 5, value: 0.5, lower: null, source: 'manual', createdAt: '' }, history: [] }),
    'results.ranking': () => ({ total: 1, offset: 0, items: [ranked(1, 0.9)] }),
    'library.counts': () => ({ total: 2, missing: 0, byLabel: { good: 2, defect: 0, unlabeled: 0 }, bySplit: { train: 0, test: 0, none: 2 }, cells: [], uploaded: { images: 0, bytes: 0 } }),
    'import.list': () => [],
    'library.images': () => ({ total: 0, offset: 0, items: [] }),
  });
  location.hash = '#/library';
  render(
    <ApiProvider client={api.client}>
      <App />
    </ApiProvider>,
  );
  return { api, wait: (w: typeof waiting) => (waiting = w), jump: (j: typeof lotJump) => (lotJump = j) };
}

const banner = () => screen.findByRole('status', { name: 'Flagged parts from the followed folder' });

describe('flagged parts from a followed folder', () => {
  it('are said on every screen, notified when more come, and shown in Results with the following model', async () => {
    const { api, wait } = setup('granted');
    expect((await banner()).textContent).toMatch(/2 parts from the followed folder are flagged by line model and not reviewed yet \(newest came in/);
    // What waited already when the app opened is on the banner, not a notification.
    expect(Shown.all).toHaveLength(0);
    // A look brings three more that the model flags.
    wait({ count: 5, newest: '2026-12-01T14:32:00Z' });
    act(() => api.emit({ name: 'library.changed', payload: { projectId: 1, what: 'scores' } }));
    await waitFor(() => expect(Shown.all.map((n) => [n.title, n.options.body])).toEqual([['3 parts flagged by line model', 'From the followed folder; 5 parts wait for review.']]));
    expect((await banner()).textContent).toMatch(/^5 parts/);
    // A review takes one off: no notification for fewer.
    wait({ count: 4, newest: '2026-12-01T14:32:00Z' });
    act(() => api.emit({ name: 'library.changed', payload: { projectId: 1, what: 'reviews' } }));
    await waitFor(async () => expect((await banner()).textContent).toMatch(/^4 parts/));
    expect(Shown.all).toHaveLength(1);

    // Clicking the notification opens Results on them: the following model, flagged and unreviewed, newest first.
    act(() => Shown.all[0].onclick!());
    await waitFor(() => expect(location.hash).toBe('#/results'));
    await waitFor(() => expect(api.named('results.ranking').at(-1)?.input).toMatchObject({ modelId: 5, sort: 'newest', filter: { flagged: true, unreviewed: true, notTrained: true, since: '2026-12-01T14:02:00Z' } }));
    expect((screen.getByRole('checkbox', { name: /Flagged only/ }) as HTMLInputElement).checked).toBe(true);
    // The banner's count leaves out the model's own images, so does the list.
    expect((screen.getByRole('checkbox', { name: /Not trained on/ }) as HTMLInputElement).checked).toBe(true);

    // All reviewed: the banner goes.
    wait({ count: 0, newest: null });
    act(() => api.emit({ name: 'library.changed', payload: { projectId: 1, what: 'reviews' } }));
    await waitFor(() => expect(screen.queryByRole('status', { name: 'Flagged parts from the followed folder' })).toBeNull());
  });

  it('shows them from the banner, and only the banner when notifications are not allowed', async () => {
    const { api, wait } = setup('denied');
    await banner();
    wait({ count: 3, newest: '2026-12-01T14:32:00Z' });
    act(() => api.emit({ name: 'library.changed', payload: { projectId: 1, what: 'scores' } }));
    await waitFor(async () => expect((await banner()).textContent).toMatch(/^3 parts/));
    expect(Shown.all).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Show them' }));
    await waitFor(() => expect(api.named('results.ranking').at(-1)?.input).toMatchObject({ modelId: 5, sort: 'newest', filter: { flagged: true, unreviewed: true, since: '2026-12-01T14:02:00Z' } }));
  });

  it('says nothing when the model has no threshold (nothing is flagged)', async () => {
    setup('granted', null);
    await screen.findByRole('combobox', { name: /Project/ });
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByRole('status', { name: 'Flagged parts from the followed folder' })).toBeNull();
  });

  it('says when the camera\u2019s lot flags more than the other lots beyond chance, on the banner and in the notification', async () => {
    const { api, wait, jump } = setup('granted');
    expect((await banner()).textContent).not.toMatch(/lot flags/);
    expect(screen.queryByRole('button', { name: 'Show the lot' })).toBeNull();
    wait({ count: 6, newest: '2026-12-01T14:32:00Z' });
    jump({ id: 11, day: lotDay(Date.now()).key, from: new Date().toISOString(), parts: 20, flagged: 6, restParts: 100, restFlagged: 1 });
    act(() => api.emit({ name: 'library.changed', payload: { projectId: 1, what: 'scores' } }));
    const said = 'Today\u2019s lot flags 30.0 % of its parts (6 of 20) where the other lots flag 1.0 % (1 of 100): more than chance gives at ' +
      'a 3-sigma control limit. A changed station (camera, lighting) or a bad lot?';
    await waitFor(() => expect(screen.getByTestId('lot-jump').textContent).toBe(said));
    await waitFor(() => expect(Shown.all.map((n) => n.options.body)).toEqual([`From the followed folder; 6 parts wait for review. ${said}`]));
    // Show the lot: its flagged parts in Results, reviewed or not, as the Threshold screen's Show lists them.
    fireEvent.click(screen.getByRole('button', { name: 'Show the lot' }));
    await waitFor(() => expect(location.hash).toBe('#/results'));
    await waitFor(() => expect(api.named('results.ranking').at(-1)?.input).toMatchObject({ modelId: 5, filter: { flagged: true, notTrained: true, lot: 11 } }));
    expect(screen.getByText(/^lot \/cam of /)).toBeTruthy();
  });
});
