// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, render, screen } from '@testing-library/react';
import { DropOverlay } from '../../../src-renderer/library/DropOverlay';

afterEach(cleanup);

function dragEvent(type: string, files: File[]): Event {
  const e = new Event(type, { bubbles: true, cancelable: true });
  Object.defineProperty(e, 'dataTransfer', { value: { types: ['Files'], files, dropEffect: 'none' } });
  return e;
}

describe('drop overlay', () => {
  it('shows while files are dragged over the window and imports the resolved paths on drop', () => {
    const onPaths = vi.fn();
    const onNoPaths = vi.fn();
    render(
      <DropOverlay resolve={(f) => `/data/${f.name}`} onPaths={onPaths} onNoPaths={onNoPaths}>
        <p>app</p>
      </DropOverlay>,
    );
    const files = [new File(['x'], 'good'), new File(['y'], 'defect')];
    act(() => void window.dispatchEvent(dragEvent('dragenter', files)));
    expect(screen.getByTestId('drop-overlay')).toBeTruthy();
    const drop = dragEvent('drop', files);
    act(() => void window.dispatchEvent(drop));
    expect(drop.defaultPrevented).toBe(true);
    expect(screen.queryByTestId('drop-overlay')).toBeNull();
    expect(onPaths).toHaveBeenCalledWith(['/data/good', '/data/defect']);
    expect(onNoPaths).not.toHaveBeenCalled();
  });

  it('reports the names when the page cannot see paths, and hides after the drag leaves', () => {
    const onPaths = vi.fn();
    const onNoPaths = vi.fn();
    render(
      <DropOverlay resolve={() => ''} onPaths={onPaths} onNoPaths={onNoPaths}>
        <p>app</p>
      </DropOverlay>,
    );
    const files = [new File(['x'], 'cells')];
    act(() => void window.dispatchEvent(dragEvent('dragenter', files)));
    act(() => void window.dispatchEvent(dragEvent('dragleave', files)));
    expect(screen.queryByTestId('drop-overlay')).toBeNull();
    act(() => void window.dispatchEvent(dragEvent('drop', files)));
    expect(onNoPaths).toHaveBeenCalledWith(['cells']);
    expect(onPaths).not.toHaveBeenCalled();
  });

  it('ignores drags that carry no files (e.g. text)', () => {
    render(
      <DropOverlay resolve={() => '/a'} onPaths={vi.fn()} onNoPaths={vi.fn()}>
        <p>app</p>
      </DropOverlay>,
    );
    const text = (type: string) => {
      const e = new Event(type, { bubbles: true, cancelable: true });
      Object.defineProperty(e, 'dataTransfer', { value: { types: ['text/plain'], files: [] } });
      return e;
    };
    act(() => void window.dispatchEvent(text('dragenter')));
    expect(screen.queryByTestId('drop-overlay')).toBeNull();
    const drop = text('drop');
    act(() => void window.dispatchEvent(drop));
    expect(drop.defaultPrevented).toBe(false);
  });

  it('hands pathless drops to onFiles, each file with its path relative to what was dropped', async () => {
    const onNoPaths = vi.fn();
    let got: Promise<Array<{ path: string; file: File }>> | null = null;
    render(
      <DropOverlay resolve={() => ''} onPaths={vi.fn()} onNoPaths={onNoPaths} onFiles={(files) => (got = files)}>
        <p>app</p>
      </DropOverlay>,
    );
    const inFolder = new File(['x'], 'a.png');
    Object.defineProperty(inFolder, 'webkitRelativePath', { value: 'cells/train/good/a.png' });
    const loose = new File(['y'], 'b.png');
    // A drop built by a script has items without folder entries: their files are taken as they are.
    const item = (file: File) => ({ kind: 'file', webkitGetAsEntry: () => null, getAsFile: () => file });
    const e = new Event('drop', { bubbles: true, cancelable: true });
    Object.defineProperty(e, 'dataTransfer', { value: { types: ['Files'], files: [inFolder, loose], items: [item(inFolder), item(loose)] } });
    act(() => void window.dispatchEvent(e));
    expect(onNoPaths).not.toHaveBeenCalled();
    expect(got).not.toBeNull();
    const files = await got!;
    expect(files.map((f) => f.path)).toEqual(['cells/train/good/a.png', 'b.png']);
    expect(files[0].file).toBe(inFolder);
  });
});
