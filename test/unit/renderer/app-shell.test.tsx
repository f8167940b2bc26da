// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ApiProvider } from '../../../src-renderer/state/api-context';
import { App } from '../../../src-renderer/app/App';
import { memoryClient } from './helpers';

afterEach(cleanup);

describe('app shell', () => {
  it('offers to try again when the library cannot be opened, and opens it when asked', async () => {
    let down = true;
    const api = memoryClient({
      'projects.list': () => {
        if (down) throw new Error('Cannot reach the local server');
        return [{ id: 1, name: 'default', createdAt: '', imageCount: 0 }];
      },
      'models.list': () => [],
      'jobs.list': () => [],
      'import.list': () => [],
      'library.counts': () => ({ total: 0, missing: 0, byLabel: { good: 0, defect: 0, unlabeled: 0 }, bySplit: { train: 0, test: 0, none: 0 }, cells: [], uploaded: { images: 0, bytes: 0 } }),
    });
    render(
      <ApiProvider client={api.client}>
        <App />
      </ApiProvider>,
    );
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', expect.stringContaining('Cannot reach the local server'));
    down = false;
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('combobox', { name: /Project/ })).toHaveProperty('textContent', expect.stringContaining('default'));
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });
});
