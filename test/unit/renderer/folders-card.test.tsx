// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ApiProvider } from '../../../src-renderer/state/api-context';
import { FoldersCard } from '../../../src-renderer/library/FoldersCard';
import { memoryClient } from './helpers';

afterEach(cleanup);

describe('folders card', () => {
  it('takes a folder out of the project only after asking, and lists what is left', async () => {
    let folders = [
      { folder: '/line/day1/good', count: 120, uploadedAs: null },
      { folder: '/line/day3', count: 8, uploadedAs: null },
      { folder: '/srv/lib/uploads/tree/p1/cam2/ng', count: 3, uploadedAs: 'cam2/ng' },
    ];
    const api = memoryClient({
      'library.folders': () => folders,
      'library.removeFolder': (i) => {
        const f = folders.find((x) => x.folder === i.folder)!;
        folders = folders.filter((x) => x !== f);
        return { removed: f.count };
      },
    });
    render(<ApiProvider client={api.client}><FoldersCard projectId={1} /></ApiProvider>);
    const table = await screen.findByRole('table', { name: 'Folders' });
    const row = within(table).getByText('/line/day3').closest('tr')!;
    fireEvent.click(within(row).getByRole('button', { name: 'Remove…' }));
    const ask = within(row).getByRole('alertdialog', { name: 'Remove /line/day3' });
    expect(ask.textContent).toMatch(/^Take its 8 images out of the project, with their scores\? The files stay on disk\. Their reviews stay in the project’s review history\./);
    fireEvent.click(within(ask).getByRole('button', { name: 'Keep' }));
    expect(api.named('library.removeFolder')).toEqual([]);
    fireEvent.click(within(row).getByRole('button', { name: 'Remove…' }));
    fireEvent.click(within(row).getByRole('button', { name: 'Remove' }));
    expect(await screen.findByText('Took 8 images of /line/day3 out of the project.')).toBeTruthy();
    expect(api.named('library.removeFolder').map((c) => c.input)).toEqual([{ projectId: 1, folder: '/line/day3' }]);
    // The main side announces the change; the list follows it.
    act(() => api.emit({ name: 'library.changed', payload: { projectId: 1, what: 'images' } }));
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Folders' })).queryByText('/line/day3')).toBeNull());

    // An uploaded folder is named as it was dropped, and the question says its copies go.
    const up = within(screen.getByRole('table', { name: 'Folders' })).getByText('cam2/ng (uploaded)').closest('tr')!;
    fireEvent.click(within(up).getByRole('button', { name: 'Remove…' }));
    expect(within(up).getByRole('alertdialog', { name: 'Remove cam2/ng (uploaded)' }).textContent).toMatch(/uploaded copies go too; the originals you uploaded stay where they are\./);
    fireEvent.click(within(up).getByRole('button', { name: 'Remove' }));
    expect(await screen.findByText('Took 3 images of cam2/ng (uploaded) out of the project.')).toBeTruthy();
  });
});
