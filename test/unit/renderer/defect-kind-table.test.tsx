// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import { DefectKindTable } from '../../../src-renderer/metrics/DefectKindTable';

afterEach(cleanup);

describe('figures by kind of defect', () => {
  it('marks a kind the baseline ranks better, a kind of few parts, and says how many the threshold flags', () => {
    render(<DefectKindTable goodParts={118} rows={[
      { kind: 'cut', parts: 12, auroc: 0.91, baselineAuroc: 0.7, caught: 10, shifted: null },
      { kind: 'hole', parts: 3, auroc: 0.52, baselineAuroc: 0.8, caught: 0, shifted: null },
      { kind: null, parts: 1, auroc: 1, baselineAuroc: 1, caught: 1, shifted: null },
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
    rerender(<DefectKindTable goodParts={5} rows={[{ kind: 'a', parts: 5, auroc: 0.8, baselineAuroc: null, caught: null, shifted: null }, { kind: 'b', parts: 6, auroc: 0.7, baselineAuroc: null, caught: null, shifted: null }]} />);
    expect(screen.queryByText('Flagged at the threshold')).toBeNull();
    expect(within(screen.getByRole('table')).getByText('a').closest('tr')!.textContent).toBe('a50.800—');
    expect(screen.queryByText('Differ as a whole')).toBeNull(); // the model cannot tell
  });

  it('says how many parts of each kind differ from the good parts as a whole when the model can tell', () => {
    render(<DefectKindTable goodParts={25} rows={[
      { kind: 'contamination', parts: 28, auroc: 0.89, baselineAuroc: 0.6, caught: null, shifted: 28 },
      { kind: 'hole', parts: 27, auroc: 0.75, baselineAuroc: 0.66, caught: null, shifted: 2 },
    ]} />);
    const table = screen.getByRole('table', { name: 'Figures by kind of defect' });
    expect(within(table).getByText('Differ as a whole')).toBeTruthy();
    expect(within(table).getByText('contamination').closest('tr')!.textContent).toBe('contamination280.8900.60028 of 28');
    expect(within(table).getByText('hole').closest('tr')!.textContent).toBe('hole270.7500.6602 of 27');
  });
});
