// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ApiProvider } from '../../../src-renderer/state/api-context';
import { App } from '../../../src-renderer/app/App';
import { memoryClient } from './helpers';

afterEach(cleanup);

/** The app over a memory client: an empty library's answers, plus the requests a test is about. */
function shell(handlers: Parameters<typeof memoryClient>[0]) {
  const emptyCounts = { total: 0, missing: 0, byLabel: { good: 0, defect: 0, unlabeled: 0 }, bySplit: { train: 0, test: 0, none: 0 }, cells: [], uploaded: { images: 0, bytes: 0 } };
  return memoryClient({ 'models.list': () => [], 'jobs.list': () => [], 'import.list': () => [], 'library.counts': () => emptyCounts, ...handlers });
}

describe('app shell', () => {
  it('offers to try again when the library cannot be opened, and opens it when asked', async () => {
    let down = true;
    const api = shell({
      'projects.list': () => {
        if (down) throw new Error('Cannot reach the local server');
        return [{ id: 1, name: 'default', createdAt: '', imageCount: 0 }];
      },
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

  it('renames the current project inline, and says so when the name is taken', async () => {
    const projects = [{ id: 1, name: 'default', createdAt: '', imageCount: 3 }, { id: 2, name: 'tyres', createdAt: '', imageCount: 0 }];
    const api = shell({
      'projects.list': () => projects,
      'projects.rename': (i) => {
        if (projects.some((p) => p.name === i.name && p.id !== i.projectId)) throw new Error(`A project named "${String(i.name)}" already exists`);
        const p = projects.find((x) => x.id === i.projectId)!;
        p.name = String(i.name);
        return p;
      },
    });
    render(<ApiProvider client={api.client}><App /></ApiProvider>);
    const picker = await screen.findByRole('combobox', { name: /Project/ });
    await waitFor(() => expect((picker as HTMLSelectElement).value).toBe('1'));
    fireEvent.change(picker, { target: { value: '__rename' } });
    const field = screen.getByRole('textbox', { name: 'Project name' }) as HTMLInputElement;
    expect(field.value).toBe('default');
    fireEvent.change(field, { target: { value: 'tyres' } });
    fireEvent.click(screen.getByRole('button', { name: 'Rename' }));
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', expect.stringContaining('A project named "tyres" already exists'));
    fireEvent.change(field, { target: { value: '  Line 3 cells ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Rename' }));
    await waitFor(() => expect(api.named('projects.rename').at(-1)!.input).toEqual({ projectId: 1, name: 'Line 3 cells' }));
    act(() => api.emit({ name: 'library.changed', payload: { projectId: 1, what: 'projects' } }));
    expect(await screen.findByRole('combobox', { name: /Project/ })).toHaveProperty('textContent', expect.stringContaining('Line 3 cells (3 images)'));
  });

  it('deletes the current project after asking, and makes a "default" again when the last one goes', async () => {
    let projects = [{ id: 1, name: 'line 3', createdAt: '', imageCount: 148 }];
    let next = 2;
    const api = shell({
      'projects.list': () => projects,
      'projects.delete': (i) => {
        projects = projects.filter((p) => p.id !== i.projectId);
        return { deleted: true };
      },
      'projects.create': (i) => {
        const p = { id: next++, name: String(i.name), createdAt: '', imageCount: 0 };
        projects = [...projects, p];
        return p;
      },
    });
    render(<ApiProvider client={api.client}><App /></ApiProvider>);
    const picker = await screen.findByRole('combobox', { name: /Project/ });
    await waitFor(() => expect((picker as HTMLSelectElement).value).toBe('1'));
    fireEvent.change(picker, { target: { value: '__delete' } });
    const ask = screen.getByRole('alertdialog', { name: 'Delete project' });
    expect(ask.textContent).toMatch(/^Delete line 3 with its 148 images and models\? Image files stay, and its reviews stay in the library’s review history/);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(api.named('projects.delete')).toEqual([]);
    fireEvent.change(await screen.findByRole('combobox', { name: /Project/ }), { target: { value: '__delete' } });
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(api.named('projects.delete').map((c) => c.input)).toEqual([{ projectId: 1 }]));
    act(() => api.emit({ name: 'library.changed', payload: { projectId: 1, what: 'projects' } }));
    await waitFor(() => expect(api.named('projects.create').map((c) => c.input)).toEqual([{ name: 'default' }]));
    expect(await screen.findByRole('combobox', { name: /Project/ })).toHaveProperty('textContent', expect.stringContaining('default (0 images)'));
  });
});
