/**
 * Wraps `report` so it runs at most once every `ms` milliseconds, except that `final(args)`
 * calls always go through (the end of an epoch, say). For progress sent across the worker
 * boundary: a call per batch was hundreds of messages and re-renders a second.
 */
export function atMostEvery<A extends unknown[]>(ms: number, report: (...args: A) => void, final: (...args: A) => boolean = () => false): (...args: A) => void {
  let last = -Infinity;
  return (...args: A) => {
    const now = performance.now();
    if (now - last < ms && !final(...args)) return;
    last = now;
    report(...args);
  };
}

/**
 * `report` at most once every `ms` milliseconds, the last request never lost: one made inside the
 * window runs when the window ends (`report` reads its state then). `now()` runs it at once (the
 * last figure of a job); `cancel()` drops a pending one. For progress shown on the page, where each
 * update is a repaint and the next one may be a long time coming (a slow or held batch).
 */
export function throttleTrailing(ms: number, report: () => void): { request: () => void; now: () => void; cancel: () => void } {
  let last = performance.now();
  let pending: ReturnType<typeof setTimeout> | undefined;
  const cancel = () => {
    clearTimeout(pending);
    pending = undefined;
  };
  const now = () => {
    cancel();
    last = performance.now();
    report();
  };
  const request = () => {
    const wait = ms - (performance.now() - last);
    if (wait <= 0) now();
    else pending ??= setTimeout(now, wait);
  };
  return { request, now, cancel };
}
