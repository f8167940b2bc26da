// Folders or files dropped anywhere on the window start an import: by their paths where the window
// can see them (Electron), else by uploading them (web mode, or a dropped item without a path).
// Where neither works, the overlay explains that the path field on the Library screen is the way.
import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { pathsFromDrop, type PathResolver } from './drop';
import { filesFromDrop } from './upload/collect';
import type { UploadFile } from './upload/collect';

export interface DropOverlayProps {
  resolve: PathResolver;
  onPaths: (paths: string[]) => void;
  onNoPaths: (names: string[]) => void;
  /** Takes the dropped files (folders walked) when there are no paths; without it, onNoPaths is told. */
  onFiles?: (files: Promise<UploadFile[]>) => void;
  children: ReactNode;
}

const hasFiles = (e: DragEvent): boolean => !!e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files');

export function DropOverlay({ resolve, onPaths, onNoPaths, onFiles, children }: DropOverlayProps) {
  const [over, setOver] = useState(false);
  const depth = useRef(0);
  const handlers = useRef({ resolve, onPaths, onNoPaths, onFiles });
  handlers.current = { resolve, onPaths, onNoPaths, onFiles };

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
      // The walk must start inside this event: the browser hands out dropped folders only now.
      else if (r.kind === 'no-paths' && h.onFiles) h.onFiles(filesFromDrop(e.dataTransfer));
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
