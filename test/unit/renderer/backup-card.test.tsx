// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ApiProvider } from '../../../src-renderer/state/api-context';
import { BackupCard } from '../../../src-renderer/library/BackupCard';
import { memoryClient } from './helpers';

afterEach(cleanup);

function show(mode: 'web' | 'electron', answers: unknown[] = []) {
  const api = memoryClient({
    'library.backup': () => {
      const a = answers.shift();
      if (a instanceof Error) throw a;
      return a;
    },
    'export.reviews': () => ({ filename: 'library-reviews.csv', mime: 'text/csv', text: 'review_id,at\r\n1,2026-12-02T08:00:00.000Z\r\n', rows: 1 }),
  }, mode);
  render(<ApiProvider client={api.client}><BackupCard /></ApiProvider>);
  return api;
}

describe('backup card', () => {
  it('saves a backup through the desktop dialog and says what it holds and where the weights are', async () => {
    const api = show('electron', [
      { available: true, path: null, held: null, modelsDir: '/lib/models' },
      { available: true, path: '/media/usb/library-2026-12-02.sqlite', held: '1 project(s), 1074 images, 3 reviewed, 2 model(s)', modelsDir: '/lib/models' },
      new Error('Could not back up the library to /media/usb/x.sqlite: ENOSPC: no space left on device'),
    ]);
    const button = screen.getByRole('button', { name: 'Save a backup…' });
    fireEvent.click(button);
    await waitFor(() => expect(api.named('library.backup')).toHaveLength(1));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Save a backup…' })).toBeTruthy());
    expect(screen.queryByTestId('backup-saved')).toBeNull(); // cancelled: nothing said
    fireEvent.click(screen.getByRole('button', { name: 'Save a backup…' }));
    expect((await screen.findByTestId('backup-saved')).textContent).toBe(
      'Saved /media/usb/library-2026-12-02.sqlite: 1 project(s), 1074 images, 3 reviewed, 2 model(s). The models’ weights are files in /lib/models: copy that folder as it is.',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Save a backup…' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/ENOSPC: no space left on device/);
    expect(screen.queryByTestId('backup-saved')).toBeNull();
  });

  it('offers a browser the backup as a download', () => {
    const api = show('web');
    expect(screen.getByRole('link', { name: 'Download a backup' }).getAttribute('href')).toBe('/download/library.sqlite');
    expect(screen.queryByRole('button', { name: 'Save a backup…' })).toBeNull();
    expect(api.calls).toEqual([]);
  });

  it('downloads every project\u2019s review history, deleted projects included, without naming a project', async () => {
    const api = show('electron');
    fireEvent.click(screen.getByRole('button', { name: 'Download every project\u2019s review history (CSV)' }));
    expect((await screen.findByRole('status')).textContent).toBe('Saved the review history: 1 reviews.');
    expect(api.named('export.reviews').map((c) => c.input)).toEqual([{ format: 'csv' }]);
  });
});
