// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { FilterBar } from '../../../src-renderer/results/FilterBar';
import { DEFAULT_FILTERS, activeFilterCount, describeFilters, rankingQuery } from '../../../src-renderer/state/result-filters';

afterEach(cleanup);

describe('results filters', () => {
  it('sends only the filters that are set', () => {
    expect(rankingQuery(3, DEFAULT_FILTERS)).toEqual({ modelId: 3, sort: 'score-desc', filter: {} });
    const f = { ...DEFAULT_FILTERS, flagged: true, unreviewed: true, notTrained: true, label: 'defect' as const, split: 'test' as const, folder: ' /a/b ' };
    expect(rankingQuery(3, f, 0.25)).toEqual({
      modelId: 3, sort: 'score-desc', threshold: 0.25,
      filter: { flagged: true, unreviewed: true, notTrained: true, label: 'defect', split: 'test', folder: '/a/b' },
    });
    expect(activeFilterCount(f)).toBe(6);
    expect(describeFilters(f)).toBe('flagged, unreviewed, not trained on, label defect, test split, folder “/a/b”');
    expect(rankingQuery(3, DEFAULT_FILTERS, null)).not.toHaveProperty('threshold');
    // The followed folder's banner asks for the parts come in since following began.
    const since = { ...DEFAULT_FILTERS, flagged: true, since: '2026-12-01T14:02:00.000Z' };
    expect(rankingQuery(3, since).filter).toEqual({ flagged: true, since: '2026-12-01T14:02:00.000Z' });
    expect(activeFilterCount(since)).toBe(2);
    expect(describeFilters(since)).toMatch(/^flagged, came in since .+$/);
    // The Threshold screen asks for one lot's flagged parts: the lot by its first import.
    const lot = { ...DEFAULT_FILTERS, flagged: true, lot: { id: 8, name: '/line/cam of 12/1/2026' } };
    expect(rankingQuery(3, lot).filter).toEqual({ flagged: true, lot: 8 });
    expect(activeFilterCount(lot)).toBe(2);
    expect(describeFilters(lot)).toBe('flagged, lot /line/cam of 12/1/2026');
    // A part asked for by its serial number: the text its file name holds, trimmed.
    const serial = { ...DEFAULT_FILTERS, name: ' SN4711 ' };
    expect(rankingQuery(3, serial).filter).toEqual({ name: 'SN4711' });
    expect(activeFilterCount(serial)).toBe(1);
    expect(describeFilters(serial)).toBe('name holding “SN4711”');
    expect(rankingQuery(3, { ...DEFAULT_FILTERS, name: '  ' }).filter).toEqual({});
  });

  it('changes filters from the bar and clears them while keeping the sort', () => {
    const onChange = vi.fn();
    const { rerender } = render(<FilterBar value={DEFAULT_FILTERS} onChange={onChange} folders={['/x/good', '/x/defect']} />);
    fireEvent.click(screen.getByLabelText(/Flagged only/));
    expect(onChange).toHaveBeenLastCalledWith({ ...DEFAULT_FILTERS, flagged: true });
    fireEvent.click(screen.getByLabelText(/Not trained on/));
    expect(onChange).toHaveBeenLastCalledWith({ ...DEFAULT_FILTERS, notTrained: true });
    fireEvent.change(screen.getByLabelText('Folder'), { target: { value: '/x/defect' } });
    expect(onChange).toHaveBeenLastCalledWith({ ...DEFAULT_FILTERS, folder: '/x/defect' });
    fireEvent.change(screen.getByLabelText('File name holds'), { target: { value: 'SN47' } });
    expect(onChange).toHaveBeenLastCalledWith({ ...DEFAULT_FILTERS, name: 'SN47' });
    fireEvent.change(screen.getByLabelText('Sort'), { target: { value: 'score-asc' } });
    expect(onChange).toHaveBeenLastCalledWith({ ...DEFAULT_FILTERS, sort: 'score-asc' });
    expect(screen.queryByRole('button', { name: 'Clear filters' })).toBeNull();
    rerender(<FilterBar value={{ ...DEFAULT_FILTERS, sort: 'path', label: 'good' }} onChange={onChange} folders={[]} />);
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(onChange).toHaveBeenLastCalledWith({ ...DEFAULT_FILTERS, sort: 'path' });
    // A "since" set by the followed folder's banner is said, and taken off on its own.
    rerender(<FilterBar value={{ ...DEFAULT_FILTERS, flagged: true, since: '2026-12-01T14:02:00.000Z' }} onChange={onChange} folders={[]} />);
    expect(screen.getByText(/came in since/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Show parts of any time' }));
    expect(onChange).toHaveBeenLastCalledWith({ ...DEFAULT_FILTERS, flagged: true });
    // So is a lot set from the Threshold screen.
    rerender(<FilterBar value={{ ...DEFAULT_FILTERS, flagged: true, lot: { id: 8, name: '/line/cam of 12/1/2026' } }} onChange={onChange} folders={[]} />);
    expect(screen.getByText(/lot \/line\/cam of 12\/1\/2026/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Show parts of every lot' }));
    expect(onChange).toHaveBeenLastCalledWith({ ...DEFAULT_FILTERS, flagged: true });
  });
});
