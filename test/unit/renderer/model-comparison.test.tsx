// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ApiProvider } from '../../../src-renderer/state/api-context';
import { ModelComparisonCard } from '../../../src-renderer/metrics/ModelComparisonCard';
import type { ModelSummary } from '../../../src-renderer/api/client';
import { memoryClient } from './helpers';

afterEach(cleanup);

const model = (id: number, name: string, scoredCount = 10) => ({ id, name, scoredCount, projectId: 1 }) as unknown as ModelSummary;

describe('compared with another model', () => {
  it('starts with the model before this one, asks again for the one picked, and hides without another scored model', async () => {
    const api = memoryClient({ 'metrics.compare': (i) => ({ defective: 3, good: 3, auroc: 1, otherAuroc: 0.5, lead: { value: 0.5, low: 0.1, high: 0.9 }, settled: i.otherId === 2, text: `against model ${i.otherId}` }) });
    const models = [model(1, 'first'), model(2, 'second'), model(3, 'third'), model(4, 'unscored', 0)];
    render(<ApiProvider client={api.client}><ModelComparisonCard model={models[2]} models={models} projectId={1} /></ApiProvider>);
    expect((await screen.findByTestId('model-comparison')).textContent).toBe('against model 2');
    expect(screen.getByTestId('model-comparison').className).toBe(''); // settled: said plainly
    // The unscored model is not offered.
    expect([...screen.getByLabelText('Model to compare with').querySelectorAll('option')].map((o) => o.textContent)).toEqual(['second', 'first']);
    fireEvent.change(screen.getByLabelText('Model to compare with'), { target: { value: '1' } });
    await waitFor(() => expect(screen.getByTestId('model-comparison').textContent).toBe('against model 1'));
    expect(screen.getByTestId('model-comparison').className).toBe('muted'); // not settled: muted
    expect(api.named('metrics.compare').map((c) => c.input.otherId)).toEqual([2, 1]);
    cleanup();
    const { container } = render(<ApiProvider client={api.client}><ModelComparisonCard model={models[0]} models={[models[0], models[3]]} projectId={1} /></ApiProvider>);
    expect(container.textContent).toBe('');
  });
});
