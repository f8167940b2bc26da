// The inspection region on the Train form: typed as left,top,width,height in percent, or drawn by dragging
// over one of the training images; the part outside is dimmed, as the model will never see it.
import { useRef, useState } from 'react';
import type { PointerEvent as ReactPointerEvent } from 'react';
import { describeRegion, formatRegion, regionOrNull, type Region } from '../api/client';
import { regionFromDrag, type Point } from './region-drag';

export function RegionField({ value, onChange, sampleUrl, error, help, from }: {
  value: string; onChange: (text: string) => void; sampleUrl: string | null; error?: string; help: string;
  /** The model whose region this is, when the form started from it. */
  from: string | null;
}) {
  const drag = useRef<Point | null>(null);
  const [drawing, setDrawing] = useState<Region | null>(null);
  const shown = drawing ?? regionOrNull(value); // a half-typed one: the field says what is wrong
  const at = (e: ReactPointerEvent<HTMLDivElement>): Point => {
    const r = e.currentTarget.getBoundingClientRect();
    return { x: (e.clientX - r.left) / (r.width || 1), y: (e.clientY - r.top) / (r.height || 1) };
  };
  return (
    <div className={`field region-field${error ? ' invalid' : ''}`}>
      <label className="field">
        <span>Inspection region</span>
        <input name="region" value={value} placeholder="the whole image" onChange={(e) => onChange(e.target.value)} aria-invalid={!!error} />
      </label>
      <small className={error ? 'bad' : 'muted'}>{error ?? `${help} Now: ${describeRegion(value)}${from ? `, as “${from}”` : ''}.`}</small>
      {sampleUrl ? (
        <div className="row region-draw">
          <div
            className="region-canvas"
            data-testid="region-canvas"
            onPointerDown={(e) => { drag.current = at(e); e.currentTarget.setPointerCapture?.(e.pointerId); }}
            onPointerMove={(e) => { if (drag.current) setDrawing(regionFromDrag(drag.current, at(e))); }}
            onPointerUp={(e) => {
              const drawn = drag.current && regionFromDrag(drag.current, at(e));
              drag.current = null;
              setDrawing(null);
              if (drawn) onChange(formatRegion(drawn));
            }}
          >
            <img src={sampleUrl} alt="A training image to draw the inspection region on" draggable={false} />
            {shown ? (
              <div className="region-box" style={{ left: `${shown.left}%`, top: `${shown.top}%`, width: `${shown.width}%`, height: `${shown.height}%` }} />
            ) : null}
          </div>
          <div className="stack">
            <small className="muted">Drag over the image to draw the region the model inspects; the dimmed part is left out of training and scoring.</small>
            <button type="button" className="ghost" onClick={() => onChange('')} disabled={!value}>Whole image</button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
