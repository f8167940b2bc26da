// Every image of the project as a virtualised thumbnail grid: only visible rows exist in the DOM.
import { useEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { LABEL_FILTERS, type ImageSummary, type LabelChoice } from '../api/client';
import { useApi, useReloadOn } from '../state/api-context';
import { ErrorNotice } from '../components/Notice';
import { LabelBadge } from '../components/LabelBadge';
import { usePaged } from '../components/use-paged';
import { folderAndName, formatNumber } from '../components/format';
import { Thumb } from '../components/Thumb';

const TILE = 150;

export function ThumbnailGrid({ projectId }: { projectId: number }) {
  const client = useApi();
  const [label, setLabel] = useState<LabelChoice>('all');
  const scroller = useRef<HTMLDivElement>(null);
  const [cols, setCols] = useState(6);
  const query = { projectId, ...(label === 'all' ? {} : { label }) };
  const paged = usePaged<ImageSummary>(JSON.stringify(query), (offset, limit) => client.call('library.images', { ...query, offset, limit }), 240);
  useReloadOn(projectId, ['images'], paged.reload);

  useEffect(() => {
    const el = scroller.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setCols(Math.max(1, Math.floor((el.clientWidth - 8) / TILE))));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const total = paged.total ?? 0;
  const rows = Math.ceil(total / cols);
  const virt = useVirtualizer({ count: rows, getScrollElement: () => scroller.current, estimateSize: () => TILE, overscan: 3 });
  const items = virt.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  const { ensure } = paged;
  useEffect(() => ensure(first * cols, (last + 1) * cols - 1), [ensure, first, last, cols]);

  return (
    <section className="card">
      <div className="row spread">
        <h2>Images</h2>
        <div className="segmented" role="radiogroup" aria-label="Show">
          {(['all', ...LABEL_FILTERS] as const).map((l) => (
            <button key={l} role="radio" aria-checked={label === l} className={label === l ? 'on' : undefined} onClick={() => setLabel(l)}>
              {l === 'unlabeled' ? 'unlabelled' : l}
            </button>
          ))}
        </div>
        <span className="muted num">{formatNumber(paged.total)}</span>
      </div>
      <ErrorNotice error={paged.error} onRetry={paged.reload} />
      <div ref={scroller} className="thumb-scroller" tabIndex={0} aria-label="Thumbnails">
        <div style={{ height: virt.getTotalSize(), position: 'relative' }}>
          {items.map((row) => (
            <div key={row.key} className="thumb-row" style={{ transform: `translateY(${row.start}px)`, height: TILE }}>
              {Array.from({ length: cols }, (_, c) => {
                const i = row.index * cols + c;
                if (i >= total) return null;
                const img = paged.get(i);
                return (
                  <figure key={c} className="thumb" title={img ? (img.uploaded ? `${img.path}\n(uploaded copy kept by the library)` : img.path) : undefined} data-uploaded={img?.uploaded ? '' : undefined}>
                    {img ? <Thumb src={img.thumbUrl} alt={img.name} className="thumb-img" /> : <div className="thumb-ph" />}
                    {img ? <LabelBadge label={img.label} split={img.split} /> : null}
                    <figcaption>{img ? folderAndName(img.folderName, img.name) : ' '}</figcaption>
                  </figure>
                );
              })}
            </div>
          ))}
        </div>
      </div>
    </section>
  );
}
