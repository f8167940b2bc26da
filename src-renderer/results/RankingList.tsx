// The ranking as a virtualised table: at 100k rows only the visible ones exist, fetched by page.
import { useEffect, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { RankedImage } from '../api/client';
import { DecisionBadge, LabelBadge, TrainedBadge } from '../components/LabelBadge';
import type { Paged } from '../components/use-paged';
import { digitsToTellApart, formatNumber, formatScore } from '../components/format';
import { Thumb } from '../components/Thumb';

const ROW = 60;

/** `ranked`: the rows are in most-anomalous-first order, so a row's place is its rank; in any other order it is only a place. */
export function RankingList({ paged, onOpen, label, ranked = true }: { paged: Paged<RankedImage>; onOpen: (img: RankedImage) => void; label: string; ranked?: boolean }) {
  const scroller = useRef<HTMLDivElement>(null);
  const total = paged.total ?? 0;
  const virt = useVirtualizer({ count: total, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 8 });
  const items = virt.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  const { ensure } = paged;
  useEffect(() => ensure(first, last), [ensure, first, last]);
  // Enough digits to tell the rows in view (and the one just past each end) apart.
  const digits = digitsToTellApart(Array.from({ length: last - first + 3 }, (_, k) => paged.get(first - 1 + k)?.score));

  return (
    <div className="ranking" role="table" aria-label={label} aria-rowcount={total}>
      <div className="ranking-head" role="row">
        <span role="columnheader" className="num" title={ranked ? undefined : 'Place in this order (sort by most anomalous first for the rank)'}>{ranked ? 'Rank' : '#'}</span>
        <span role="columnheader" />
        <span role="columnheader">Image</span>
        <span role="columnheader">Label</span>
        <span role="columnheader" className="num">Score</span>
        <span role="columnheader" className="num col-extra">Calibrated</span>
        <span role="columnheader" className="num col-extra">Percentile</span>
        <span role="columnheader">Flag</span>
        <span role="columnheader">Review</span>
      </div>
      <div ref={scroller} className="ranking-body" tabIndex={-1}>
        <div style={{ height: virt.getTotalSize(), position: 'relative' }}>
          {items.map((v) => {
            const r = paged.get(v.index);
            return (
              <div
                key={v.key}
                role="row"
                aria-rowindex={v.index + 1}
                className={`ranking-row${r?.flagged ? ' flagged' : ''}${r?.uncertain ? ' uncertain' : ''}`}
                style={{ transform: `translateY(${v.start}px)`, height: ROW }}
                tabIndex={r ? 0 : -1}
                data-testid={r ? 'ranking-row' : undefined}
                onClick={() => r && onOpen(r)}
                onKeyDown={(e) => r && (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), onOpen(r))}
              >
                {r ? (
                  <>
                    <span role="cell" className="num muted">{r.rank}</span>
                    <span role="cell"><Thumb className="row-thumb" src={r.thumbUrl} alt="" /></span>
                    <span role="cell" className="ellipsis" title={r.path}>
                      <span className="strong">{r.name}</span>
                      <span className="muted small block">{r.folderName}</span>
                    </span>
                    <span role="cell">
                      <LabelBadge label={r.label} split={r.split} />
                      <TrainedBadge trained={r.trained} />
                    </span>
                    <span role="cell" className="num strong">{formatScore(r.score, digits)}</span>
                    <span role="cell" className="num col-extra">{formatNumber(r.calibrated, 2)}</span>
                    <span role="cell" className="num col-extra">{r.percentile === null ? '—' : `${formatNumber(r.percentile, 1)}`}</span>
                    <span role="cell">{r.flagged ? <span className="badge bad">flagged</span> : r.uncertain ? <span className="badge warn">uncertain</span> : null}</span>
                    <span role="cell"><DecisionBadge decision={r.review?.decision} review={r.review} /></span>
                  </>
                ) : (
                  <span role="cell" className="muted small row-loading">Loading…</span>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
