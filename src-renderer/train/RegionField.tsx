// The inspection region and the areas left out inside it, on the Train form: typed as left,top,width,height in
// percent, or drawn by dragging over one of the training images. The part outside the region is dimmed and the
// left-out areas hatched, as the model will never see what they hold.
import { useRef, useState } from 'react';
import type { PointerEvent as ReactPointerEvent } from 'react';
import { MAX_LEFT_OUT, describeRegion, formatLeftOut, formatRegion, leftOutOrNone, regionOrNull, regionSpans, type Region } from '../api/client';
import { regionFromDrag, type Point } from './region-drag';

/** The two texts the field edits: the `region` option and the `leaveOut` option. */
export interface ViewTexts { region: string; leaveOut: string }

export function RegionField({ value, onChange, sampleUrl, errors, help, from }: {
  value: ViewTexts; onChange: (next: ViewTexts) => void; sampleUrl: string | null;
  errors: Partial<ViewTexts>; help: ViewTexts;
  /** The model whose region and areas these are, when the form started from it. */
  from: string | null;
}) {
  const drag = useRef<Point | null>(null);
  const [drawing, setDrawing] = useState<Region | null>(null);
  const [drawWhat, setDrawWhat] = useState<keyof ViewTexts>('region');
  // Half-typed texts: the fields say what is wrong, the image shows what parses.
  const areas = leftOutOrNone(value.leaveOut);
  const region = drawWhat === 'region' && drawing ? drawing : regionOrNull(value.region);
  const shownAreas = drawWhat === 'leaveOut' && drawing ? [...areas, drawing] : areas;
  const full = areas.length >= MAX_LEFT_OUT;
  const at = (e: ReactPointerEvent<HTMLDivElement>): Point => {
    const r = e.currentTarget.getBoundingClientRect();
    return { x: (e.clientX - r.left) / (r.width || 1), y: (e.clientY - r.top) / (r.height || 1) };
  };
  const drawn = (r: Region) => {
    if (drawWhat === 'region') onChange({ ...value, region: formatRegion(r) });
    else if (!full) onChange({ ...value, leaveOut: formatLeftOut([...areas, r]) });
  };
  const setAreas = (next: Region[]) => onChange({ ...value, leaveOut: formatLeftOut(next) });
  return (
    <div className={`field region-field${errors.region || errors.leaveOut ? ' invalid' : ''}`}>
      <label className="field">
        <span>Inspection region</span>
        <input name="region" value={value.region} placeholder="the whole image" onChange={(e) => onChange({ ...value, region: e.target.value })} aria-invalid={!!errors.region} />
      </label>
      <small className={errors.region ? 'bad' : 'muted'}>{errors.region ?? `${help.region} Now: ${describeRegion(value.region)}${from ? `, as “${from}”` : ''}.`}</small>
      <label className="field">
        <span>Areas left out</span>
        <input name="leaveOut" value={value.leaveOut} placeholder="none" onChange={(e) => onChange({ ...value, leaveOut: e.target.value })} aria-invalid={!!errors.leaveOut} />
      </label>
      <small className={errors.leaveOut ? 'bad' : 'muted'}>{errors.leaveOut ?? help.leaveOut}</small>
      {sampleUrl ? (
        <div className="row region-draw">
          <div
            className="region-canvas"
            data-testid="region-canvas"
            onPointerDown={(e) => { drag.current = at(e); e.currentTarget.setPointerCapture?.(e.pointerId); }}
            onPointerMove={(e) => { if (drag.current) setDrawing(regionFromDrag(drag.current, at(e))); }}
            onPointerUp={(e) => {
              const r = drag.current && regionFromDrag(drag.current, at(e));
              drag.current = null;
              setDrawing(null);
              if (r) drawn(r);
            }}
          >
            <img src={sampleUrl} alt="A training image to draw the inspection region on" draggable={false} />
            {region ? <div className="region-box" style={boxStyle(region)} /> : null}
            {shownAreas.map((a, i) => <div key={i} className="left-out-box" data-testid="left-out-box" style={boxStyle(a)} />)}
          </div>
          <div className="stack">
            <fieldset className="row">
              <legend className="muted small">Dragging over the image draws</legend>
              <label><input type="radio" name="draw" checked={drawWhat === 'region'} onChange={() => setDrawWhat('region')} /> the inspection region</label>
              <label><input type="radio" name="draw" checked={drawWhat === 'leaveOut'} onChange={() => setDrawWhat('leaveOut')} /> an area to leave out</label>
            </fieldset>
            <small className="muted">
              {drawWhat === 'region'
                ? 'The dimmed part is left out of training and scoring.'
                : full ? `At most ${MAX_LEFT_OUT} areas: remove one to draw another.` : 'A label, a printed date, a hole in the fixture: each image has the area filled with its own mean, so what it holds never counts.'}
            </small>
            {areas.length ? (
              <ul className="plain small">
                {areas.map((a, i) => (
                  <li key={i}>
                    Area {i + 1}: {regionSpans(a)}{' '}
                    <button type="button" className="ghost" aria-label={`Remove area ${i + 1}`} onClick={() => setAreas(areas.filter((_, k) => k !== i))}>×</button>
                  </li>
                ))}
              </ul>
            ) : null}
            <button type="button" className="ghost" onClick={() => onChange({ ...value, region: '' })} disabled={!value.region}>Whole image</button>
          </div>
        </div>
      ) : null}
    </div>
  );
}

const boxStyle = (r: Region) => ({ left: `${r.left}%`, top: `${r.top}%`, width: `${r.width}%`, height: `${r.height}%` });
