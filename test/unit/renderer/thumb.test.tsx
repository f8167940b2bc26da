// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { Thumb } from '../../../src-renderer/components/Thumb';

afterEach(cleanup);

describe('thumb', () => {
  it('shows a placeholder for a missing file, and the next image again when the row is reused', () => {
    const { rerender, container } = render(<Thumb src="media://thumb/1" alt="p1.png" />);
    fireEvent.error(screen.getByRole('img', { name: 'p1.png' }));
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('.thumb-missing')).not.toBeNull();
    rerender(<Thumb src="media://thumb/2" alt="p2.png" />);
    expect(screen.getByRole('img', { name: 'p2.png' }).getAttribute('src')).toBe('media://thumb/2');
  });
});
