// Folders or files dropped anywhere on the window start an import. In a browser a drop carries no
// paths, so the overlay explains that the path field on the Library screen is the way there.
import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { pathsFromDrop, type PathResolver } from './drop';

export interface DropOverlayProps {
  resolve: PathResolver;
  onPaths: (paths: string[]) => void;
  onNoPaths: (names: string[]) => void;
  children: ReactNode;
}

const hasFiles = (e: DragEvent): boolean => !!e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files');

export function DropOverlay({ resolve, onPaths, onNoPaths, children }: DropOverlayProps) {
  const [over, setOver] = useState(false);
  const depth = useRef(0);
  const handlers = useRef({ resolve, onPaths, onNoPaths });
  handlers.current = { resolve, onPaths, onNoPaths };

  useEffect(() => {
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth.current++;
      setOver(true);
    };
    const overFn = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const leave = () => {
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setOver(false);
    };
    const drop = (e: DragEvent) => {
      // Text dropped into a field (a path dragged from a terminal) keeps its default: it lands there.
      if (!hasFiles(e) || !e.dataTransfer) return;
      e.preventDefault();
      depth.current = 0;
      setOver(false);
      const h = handlers.current;
      const r = pathsFromDrop(e.dataTransfer.files, h.resolve);
      if (r.kind === 'paths') h.onPaths(r.paths);
      else if (r.kind === 'no-paths') h.onNoPaths(r.names);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', overFn);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', overFn);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, []);

  return (
    <>
      {children}
      {over ? (
        <div className="drop-overlay" data-testid="drop-overlay">
          <div className="drop-card">
            <div className="drop-icon" aria-hidden>⤓</div>
            <div>Drop folders or images to import them</div>
            <div className="muted">Folders named good / defect / train / test set labels and splits</div>
          </div>
        </div>
      ) : null}
    </>
  );
}
