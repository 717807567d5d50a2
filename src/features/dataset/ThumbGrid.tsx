import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, useState } from 'react';
import type { ImageInfo } from '../../store/project-store';
import { removeImage } from './dataset-actions';
import { useThumbnail } from './use-thumbnail';

const THUMB = 72;
const GAP = 6;

/** One thumbnail with its remove button; memoised, so a grid that grows does not redraw the ones it has. */
const Thumb = memo(function Thumb({ image }: { image: ImageInfo }) {
  const url = useThumbnail(image.hash);
  return (
    <figure className="thumb" title={image.path} data-testid="thumb">
      {url ? <img src={url} alt={image.name} width={THUMB} height={THUMB} /> : <div className="thumb__placeholder" />}
      <button type="button" className="thumb__remove" data-testid="thumb-remove" aria-label={`Remove ${image.name}`} onClick={() => void removeImage(image.id)}>
        ×
      </button>
    </figure>
  );
});

/**
 * A virtualised grid of a class's thumbnails: only the visible rows are in the DOM, and none while
 * the card is far off screen (`live` false), at the same size so nothing moves when they appear.
 * It shows one row (a strip) until the person opens it to four scrolling rows.
 */
export function ThumbGrid({ images, live = true }: { images: readonly ImageInfo[]; live?: boolean }) {
  const [open, setOpen] = useState(false);
  const parent = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(320);
  useEffect(() => {
    const el = parent.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => entry && setWidth(entry.contentRect.width));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const columns = Math.max(1, Math.floor((width + GAP) / (THUMB + GAP)));
  const rows = Math.ceil(images.length / columns);
  const virtualizer = useVirtualizer({ count: rows, getScrollElement: () => parent.current, estimateSize: () => THUMB + GAP, overscan: open ? 4 : 0 });
  return (
    <>
      <div ref={parent} className="thumb-grid" style={{ maxHeight: (open ? 4 : 1) * (THUMB + GAP) + (open ? 8 : 0), overflowY: open ? 'auto' : 'hidden' }} data-testid="thumb-grid">
        <div
          className={live ? undefined : 'thumb-grid__idle'}
          style={{ height: virtualizer.getTotalSize(), position: 'relative', width: live ? undefined : columns * (THUMB + GAP) - GAP }}
        >
          {(live ? virtualizer.getVirtualItems() : []).map((row) => (
            <div key={row.key} className="thumb-row" style={{ transform: `translateY(${row.start}px)`, gap: GAP }}>
              {images.slice(row.index * columns, row.index * columns + columns).map((im) => (
                <Thumb key={im.id} image={im} />
              ))}
            </div>
          ))}
        </div>
      </div>
      {rows > 1 && (
        <button type="button" className="link thumb-grid__toggle" data-testid="thumb-grid-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Show fewer' : `Show all ${images.length.toLocaleString()}`}
        </button>
      )}
    </>
  );
}
