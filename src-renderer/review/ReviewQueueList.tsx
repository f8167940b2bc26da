// The queue beside the image: current one highlighted and kept in view.
import { useEffect, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { RankedImage } from '../api/client';
import { DecisionBadge } from '../components/LabelBadge';
import { digitsToTellApart, formatScore } from '../components/format';
import type { ReviewState } from './review-queue';
import { Thumb } from '../components/Thumb';

const ROW = 44;

export function ReviewQueueList({ state, images, onGoto }: { state: ReviewState; images: Map<number, RankedImage>; onGoto: (i: number) => void }) {
  const scroller = useRef<HTMLDivElement>(null);
  const virt = useVirtualizer({ count: state.items.length, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 10 });
  useEffect(() => virt.scrollToIndex(state.index, { align: 'auto' }), [state.index, virt]);
  const visible = virt.getVirtualItems();
  const digits = digitsToTellApart(visible.map((v) => images.get(state.items[v.index].imageId)?.score));
  return (
    <div ref={scroller} className="queue" aria-label="Review queue">
      <div style={{ height: virt.getTotalSize(), position: 'relative' }}>
        {visible.map((v) => {
          const it = state.items[v.index];
          const img = images.get(it.imageId);
          return (
            <button
              key={v.key}
              className={`queue-row${v.index === state.index ? ' current' : ''}`}
              style={{ transform: `translateY(${v.start}px)`, height: ROW }}
              onClick={() => onGoto(v.index)}
              aria-current={v.index === state.index ? 'true' : undefined}
              data-testid="queue-row"
              tabIndex={-1}
            >
              {img ? <Thumb src={img.thumbUrl} alt="" className="queue-thumb" /> : null}
              <span className="ellipsis grow">{img?.name ?? it.imageId}</span>
              <span className="num small muted">{formatScore(img?.score, digits)}</span>
              <DecisionBadge decision={it.decision} />
            </button>
          );
        })}
      </div>
    </div>
  );
}
