// Original, reconstruction, difference and overlay side by side, zoomed and panned together.
import { useEffect, useRef, useState } from 'react';
import type { PointerEvent as ReactPointerEvent, WheelEvent as ReactWheelEvent } from 'react';
import { IDENTITY, panBy, wheelFactor, zoomAt, type View } from './zoom-pan';

export interface PanelImages {
  original: string | null;
  recon: string | null;
  diff: string | null;
}

export function ZoomPanels({ urls, name }: { urls: PanelImages; name: string }) {
  const [view, setView] = useState<View>(IDENTITY);
  const [opacity, setOpacity] = useState(0.55);
  const drag = useRef<{ x: number; y: number } | null>(null);
  const panels = useRef<HTMLDivElement>(null);
  // React attaches wheel handlers as passive, so they cannot keep the page from scrolling while a
  // panel zooms; this native listener can.
  useEffect(() => {
    const el = panels.current;
    if (!el) return;
    const hold = (e: WheelEvent) => {
      if (e.target instanceof Element && e.target.closest('.panel-view')) e.preventDefault();
    };
    el.addEventListener('wheel', hold, { passive: false });
    return () => el.removeEventListener('wheel', hold);
  }, []);

  const size = (el: HTMLElement) => ({ w: el.clientWidth, h: el.clientHeight });
  const onWheel = (e: ReactWheelEvent<HTMLDivElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const { w, h } = size(e.currentTarget);
    setView((v) => zoomAt(v, wheelFactor(e.deltaY), e.clientX - r.left, e.clientY - r.top, w, h));
  };
  const onDown = (e: ReactPointerEvent<HTMLDivElement>) => {
    drag.current = { x: e.clientX, y: e.clientY };
    e.currentTarget.setPointerCapture?.(e.pointerId);
  };
  const onMove = (e: ReactPointerEvent<HTMLDivElement>) => {
    if (!drag.current) return;
    const { w, h } = size(e.currentTarget);
    const dx = e.clientX - drag.current.x;
    const dy = e.clientY - drag.current.y;
    drag.current = { x: e.clientX, y: e.clientY };
    setView((v) => panBy(v, dx, dy, w, h));
  };
  const onUp = () => {
    drag.current = null;
  };
  const zoomButton = (factor: number) => (e: React.MouseEvent<HTMLButtonElement>) => {
    const panel = e.currentTarget.closest('.compare')?.querySelector('.panel-view') as HTMLElement | null;
    const w = panel?.clientWidth ?? 300;
    const h = panel?.clientHeight ?? 300;
    setView((v) => zoomAt(v, factor, w / 2, h / 2, w, h));
  };

  const transform = `translate(${view.x}px, ${view.y}px) scale(${view.scale})`;
  const panel = (title: string, content: React.ReactNode, hint?: string) => (
    <figure className="panel">
      <figcaption>
        {title}
        {hint ? <span className="muted small"> {hint}</span> : null}
      </figcaption>
      <div className="panel-view" onWheel={onWheel} onPointerDown={onDown} onPointerMove={onMove} onPointerUp={onUp} onPointerCancel={onUp} onDoubleClick={() => setView(IDENTITY)}>
        <div className="panel-layer" style={{ transform }}>{content}</div>
      </div>
    </figure>
  );
  const img = (src: string | null, alt: string, pixelated = false) =>
    src ? <img src={src} alt={alt} draggable={false} className={pixelated ? 'pixelated' : undefined} /> : <div className="panel-missing">not available</div>;

  return (
    <div className="compare">
      <div className="compare-tools row">
        <button onClick={zoomButton(1.5)} aria-label="Zoom in">+</button>
        <button onClick={zoomButton(1 / 1.5)} aria-label="Zoom out">−</button>
        <button onClick={() => setView(IDENTITY)}>Fit</button>
        <span className="muted small num">{Math.round(view.scale * 100)} %</span>
        <span className="muted small">Wheel to zoom, drag to pan, double-click to fit; all panels follow.</span>
        <label className="picker grow-right">
          <span className="muted">Heatmap opacity</span>
          <input type="range" min={0} max={1} step={0.05} value={opacity} onChange={(e) => setOpacity(Number(e.target.value))} aria-label="Heatmap opacity" />
        </label>
      </div>
      <div className="panels" ref={panels}>
        {panel('Original', img(urls.original, `${name}, original`))}
        {panel('Reconstruction', img(urls.recon, `${name}, reconstruction`, true), 'as a good part')}
        {panel('Difference', img(urls.diff, `${name}, difference heatmap`), 'bright = differs')}
        {panel(
          'Heatmap over original',
          <>
            {img(urls.original, `${name}, original under heatmap`)}
            {urls.diff ? <img src={urls.diff} alt="" draggable={false} className="overlay" style={{ opacity }} /> : null}
          </>,
        )}
      </div>
    </div>
  );
}
