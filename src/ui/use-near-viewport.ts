import { useEffect, useState, type RefObject } from 'react';

/**
 * Whether an element is on screen or within `margin` of it. Heavy content (a class's thumbnails)
 * mounts only there, so 200 classes cost what the few on screen cost. Without IntersectionObserver
 * the answer is always yes.
 */
export function useNearViewport(ref: RefObject<Element | null>, margin = '600px'): boolean {
  const [near, setNear] = useState(typeof IntersectionObserver === 'undefined');
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(([entry]) => entry && setNear(entry.isIntersecting), { rootMargin: margin });
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref, margin]);
  return near;
}
