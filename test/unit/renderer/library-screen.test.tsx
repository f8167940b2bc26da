// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ApiProvider } from '../../../src-renderer/state/api-context';
import { WorkspaceProvider } from '../../../src-renderer/state/workspace';
import { ImportProvider } from '../../../src-renderer/library/import-state';
import { LibraryScreen } from '../../../src-renderer/library/LibraryScreen';
import { memoryClient } from './helpers';

afterEach(cleanup);

function setup(refuse = false, endsBeforeAnswer = false, summary: Record<string, unknown> = {}, models: unknown[] = []) {
  let total = 0;
  let following: Record<string, unknown> | null = null;
  const api = memoryClient({
    'follow.get': () => following,
    'follow.start': (i) => (following = { ...i, roots: ['/parts'], everySeconds: 60, since: '2026-12-01T14:02:00Z', lastLook: null, lastNew: 0, newTotal: 0, lastError: null, looking: true }),
    'follow.stop': () => {
      following = null;
      return { stopped: true };
    },
    'projects.list': () => [{ id: 1, name: 'P', createdAt: '', imageCount: total }],
    'models.list': () => models,
    'jobs.list': () => [],
    'import.list': () => (summary.listed ? [{ id: 11 }] : []),
    'import.start': () => {
      if (refuse) throw new Error('/nowhere does not exist: check the path');
      // A run that fails at once can end before import.start answers.
      if (endsBeforeAnswer) api.emit(imp({ done: true, importId: null, seen: 0, imported: 0, message: '/parts/gone does not exist' }));
      return { jobId: 3 };
    },
    'import.summary': () => ({
      id: 11, projectId: 1, roots: ['/parts'], status: 'done', startedAt: '', finishedAt: '', seen: 5, imported: 3, duplicates: 1, skipped: 0, masks: 0, notFiles: 0, failed: 1,
      failures: [{ path: '/parts/bad.png', kind: 'corrupt', message: '/parts/bad.png: the PNG ends early' }], failuresTotal: 1, uploaded: false,
      ...summary,
    }),
    'library.counts': () => ({ total, missing: 0, byLabel: { good: total, defect: 0, unlabeled: 0 }, bySplit: { train: 0, test: 0, none: total }, cells: [{ label: 'good', split: null, count: total }], uploaded: { images: 0, bytes: 0 } }),
    'library.images': () => ({ total, offset: 0, items: [] }),
  });
  render(
    <ApiProvider client={api.client}>
      <WorkspaceProvider>
        <ImportProvider>
          <LibraryScreen dropHint={null} onDismissHint={() => {}} />
        </ImportProvider>
      </WorkspaceProvider>
    </ApiProvider>,
  );
  return { api, setTotal: (n: number) => (total = n), look: (f: Record<string, unknown>) => (following = { ...following, ...f }) };
}

const imp = (extra: Record<string, unknown>) => ({
  name: 'import.progress' as const,
  payload: { jobId: 3, projectId: 1, importId: 11, done: false, seen: 2, imported: 2, duplicates: 0, skipped: 0, masks: 0, notFiles: 0, failed: 0, imagesPerSecond: 40, ...extra },
});

describe('library screen', () => {
  it('imports typed paths, shows live counts, then the summary with failed files and the new counts', async () => {
    const { api, setTotal } = setup();
    expect(await screen.findByText('No images yet')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Folder or image paths'), { target: { value: '/parts/good; /parts/bad ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Import' }));
    await waitFor(() => expect(api.named('import.start')[0]?.input).toEqual({ projectId: 1, paths: ['/parts/good', '/parts/bad'] }));
    act(() => api.emit(imp({})));
    expect(await screen.findByText(/2 seen · 2 imported · 0 duplicates · 0 already known · 0 failed · 40 images\/s/)).toBeTruthy();
    expect(screen.queryByText('No images yet')).toBeNull();
    setTotal(3);
    act(() => api.emit(imp({ done: true, seen: 5, imported: 3, duplicates: 1, failed: 1 })));
    act(() => api.emit({ name: 'library.changed', payload: { projectId: 1, what: 'images' } }));
    expect(await screen.findByText('/parts/bad.png')).toBeTruthy();
    expect(screen.getByText('corrupt')).toBeTruthy();
    // The message as stored starts with the path, which the row shows once, in its own column.
    expect(screen.getByText('the PNG ends early')).toBeTruthy();
    expect(await screen.findByText('3 images')).toBeTruthy();
    expect(screen.queryByRole('progressbar')).toBeNull();
  });

  it('keeps the Import button off until a path is typed, and shows a refused import', async () => {
    setup(true);
    const button = await screen.findByRole('button', { name: 'Import' });
    expect((button as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Folder or image paths'), { target: { value: '/nowhere' } });
    fireEvent.click(button);
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', expect.stringContaining('/nowhere does not exist'));
  });

  it('does not show a run as still importing when it ended before import.start answered', async () => {
    const { api } = setup(false, true);
    fireEvent.change(await screen.findByLabelText('Folder or image paths'), { target: { value: '/parts/gone' } });
    fireEvent.click(screen.getByRole('button', { name: 'Import' }));
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', expect.stringContaining('/parts/gone does not exist'));
    await waitFor(() => expect(api.named('import.start').length).toBe(1));
    await waitFor(() => expect((screen.getByRole('button', { name: 'Import' }) as HTMLButtonElement).disabled).toBe(false));
    expect(screen.queryByRole('button', { name: 'Cancel import' })).toBeNull();
  });

  it('follows the last import\u2019s folders with the selected model, says how each look went, and stops', async () => {
    const model = { id: 5, projectId: 1, name: 'quick', status: 'ready', createdAt: '', options: {}, scoreKind: 'ssim', datasetSize: 6, backend: null,
      trainingSeconds: 1, epochKept: 1, validation: null, scoredCount: 120, unscoredCount: 0 };
    const { api, look } = setup(false, false, { listed: true }, [model]);
    fireEvent.click(await screen.findByRole('button', { name: 'Follow these folders' }));
    await waitFor(() => expect(api.named('follow.start').map((c) => c.input)).toEqual([{ projectId: 1, importId: 11, modelId: 5 }]));
    const line = await screen.findByRole('status', { name: 'Following' });
    expect(line.textContent).toMatch(/^Following since .+ \(every minute\): looking now; scored by quick\.$/);
    // A look runs by itself: the screen does not show it as an import under way (no progress, Import stays as it is).
    act(() => api.emit(imp({ followed: true })));
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Cancel import' })).toBeNull();
    look({ looking: false, lastLook: '2026-12-01T14:03:00Z', lastNew: 3, newTotal: 3, lastError: '/parts cannot be read now (unplugged or renamed?); following goes on' });
    act(() => api.emit({ name: 'library.changed', payload: { projectId: 1, what: 'follow' } }));
    await waitFor(() => expect(screen.getByRole('status', { name: 'Following' }).textContent).toMatch(/: 3 new; scored by quick\.$/));
    expect(screen.getByText(/cannot be read now/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Stop following' }));
    await waitFor(() => expect(api.named('follow.stop')).toHaveLength(1));
    expect(await screen.findByRole('button', { name: 'Follow these folders' })).toBeTruthy();
    cleanup();
    // An upload cannot be followed: nothing sends its folder's next files.
    setup(false, false, { listed: true, uploaded: true, roots: ['/lib/uploads/tree/p1/parts'] });
    expect(await screen.findByRole('region', { name: 'Last import' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Follow these folders' })).toBeNull();
  });

  it('asks a browser to notify when following starts, and offers it while following if not asked yet', async () => {
    // The browser's Notification API: not asked yet; asking is answered "granted" by the user.
    const asked: number[] = [];
    const page = { permission: 'default' as NotificationPermission, requestPermission: async () => (asked.push(1), (page.permission = 'granted')) };
    (globalThis as Record<string, unknown>).Notification = page;
    try {
      setup(false, false, { listed: true });
      fireEvent.click(await screen.findByRole('button', { name: 'Follow these folders' }));
      await waitFor(() => expect(asked).toHaveLength(1));
      expect(await screen.findByRole('status', { name: 'Following' })).toBeTruthy();
      expect(screen.queryByRole('button', { name: 'Notify me of flagged parts' })).toBeNull();
      cleanup();
      // Followed from before (a restart, another browser): not asked in this one yet.
      page.permission = 'default';
      // (Set before the Last import card, which appears once the import is listed, asks what is followed.)
      const { look } = setup(false, false, { listed: true });
      look({ projectId: 1, roots: ['/parts'], everySeconds: 60, since: '2026-12-01T14:02:00Z', lastLook: null, lastNew: 0, newTotal: 0, lastError: null, looking: false, flaggedUnreviewed: null });
      fireEvent.click(await screen.findByRole('button', { name: 'Notify me of flagged parts' }));
      await waitFor(() => expect(asked).toHaveLength(2));
      await waitFor(() => expect(screen.queryByRole('button', { name: 'Notify me of flagged parts' })).toBeNull());
    } finally {
      delete (globalThis as Record<string, unknown>).Notification;
    }
  });

  it('reads the last import\u2019s folders again for the next batch of parts, but not an upload\u2019s', async () => {
    const { api } = setup(false, false, { listed: true });
    const again = await screen.findByRole('button', { name: 'Look for new images' });
    fireEvent.click(again);
    await waitFor(() => expect(api.named('import.start').map((c) => c.input)).toEqual([{ projectId: 1, paths: ['/parts'] }]));
    cleanup();
    // Once the next batch is in, the Library says the current model has not scored it, and scores it from there.
    const model = { id: 5, projectId: 1, name: 'quick', status: 'ready', createdAt: '', options: {}, scoreKind: 'ssim', datasetSize: 6, backend: null,
      trainingSeconds: 1, epochKept: 1, validation: null, scoredCount: 120, unscoredCount: 3 };
    setup(false, false, { listed: true }, [model]);
    expect(await screen.findByText(/3 images of this project are not scored by quick yet/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Score them' })).toBeTruthy();
    cleanup();
    setup(false, false, { listed: true, uploaded: true, roots: ['/lib/uploads/tree/p1/parts'] });
    expect(await screen.findByRole('region', { name: 'Last import' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Look for new images' })).toBeNull();
  });
});
