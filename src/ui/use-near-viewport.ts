import { useEffect, useState, type RefObject } from 'react';

/** The nearest ancestor that scrolls vertically (a workspace column), or null for the page. */
function scrollParent(el: Element): Element | null {
  for (let p = el.parentElement; p; p = p.parentElement) {
    const { overflowY } = getComputedStyle(p);
    if (overflowY === 'auto' || overflowY === 'scroll') return p;
  }
  return null;
}

/**
 * Whether an element is on screen or within `margin` of it. Heavy content (a class's thumbnails)
 * mounts only there, so 200 classes cost what the few on screen cost. Measured against the
 * nearest scrolling ancestor when there is one (a workspace column clips its cards, and an
 * observer on the page would never see a card 100 px below the column's edge as near). Without
 * IntersectionObserver the answer is always yes.
 */
export function useNearViewport(ref: RefObject<Element | null>, margin = '600px'): boolean {
  const [near, setNear] = useState(typeof IntersectionObserver === 'undefined');
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(([entry]) => entry && setNear(entry.isIntersecting), { root: scrollParent(el), rootMargin: margin });
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref, margin]);
  return near;
}
