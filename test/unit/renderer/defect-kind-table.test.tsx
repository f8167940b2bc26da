// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import { DefectKindTable } from '../../../src-renderer/metrics/DefectKindTable';

afterEach(cleanup);

describe('figures by kind of defect', () => {
  it('marks a kind the baseline ranks better, a kind of few parts, and says how many the threshold flags', () => {
    render(<DefectKindTable goodParts={118} rows={[
      { kind: 'cut', parts: 12, auroc: 0.91, baselineAuroc: 0.7, caught: 10 },
      { kind: 'hole', parts: 3, auroc: 0.52, baselineAuroc: 0.8, caught: 0 },
      { kind: null, parts: 1, auroc: 1, baselineAuroc: 1, caught: 1 },
    ]} />);
    const table = screen.getByRole('table', { name: 'Figures by kind of defect' });
    const text = (kind: string) => within(table).getByText(kind).closest('tr')!.textContent;
    expect(text('cut')).toBe('cut120.9100.70010 of 12');
    expect(text('hole')).toBe('hole3 (few: rough)0.520below baseline0.8000 of 3');
    expect(text('no kind (an ng/defect folder, or reviewed defect)')).toBe('no kind (an ng/defect folder, or reviewed defect)1 (few: rough)111 of 1');
    expect(screen.getByText(/against all 118 good parts/)).toBeTruthy();
  });

  it('leaves the threshold column out without a threshold, and shows nothing for no rows', () => {
    const { container, rerender } = render(<DefectKindTable goodParts={5} rows={[]} />);
    expect(container.textContent).toBe('');
    rerender(<DefectKindTable goodParts={5} rows={[{ kind: 'a', parts: 5, auroc: 0.8, baselineAuroc: null, caught: null }, { kind: 'b', parts: 6, auroc: 0.7, baselineAuroc: null, caught: null }]} />);
    expect(screen.queryByText('Flagged at the threshold')).toBeNull();
    expect(within(screen.getByRole('table')).getByText('a').closest('tr')!.textContent).toBe('a50.800—');
  });
});
