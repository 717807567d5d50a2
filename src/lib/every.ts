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
