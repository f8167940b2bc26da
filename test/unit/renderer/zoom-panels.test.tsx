// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { ZoomPanels } from '../../../src-renderer/components/ZoomPanels';

afterEach(cleanup);

describe('zoom panels', () => {
  it('zooms every panel on the wheel without letting the page scroll too', () => {
    const { container } = render(<ZoomPanels urls={{ original: null, recon: null, diff: null }} name="p1.png" />);
    const view = container.querySelector('.panel-view')!;
    const wheel = new WheelEvent('wheel', { deltaY: -200, bubbles: true, cancelable: true });
    fireEvent(view, wheel);
    expect(wheel.defaultPrevented).toBe(true);
    expect(screen.getByText('149 %')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Fit' }));
    expect(screen.getByText('100 %')).toBeTruthy();
  });
});
