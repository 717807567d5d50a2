import { useRef } from 'react';

/** Same length and the same elements (by identity) in the same order. */
export function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/**
 * Wraps a selector that returns an array so that it keeps returning the previous array while the
 * elements are the same: a component re-renders only when its own list changed. zustand's
 * useShallow does this too, but compares arrays by building two Maps of them per call, which 200
 * class cards did on every import batch (7.6 s of a 5,000-photo import's main thread).
 */
export function useSameItems<S, T>(selector: (state: S) => readonly T[]): (state: S) => readonly T[] {
  const previous = useRef<readonly T[] | undefined>(undefined);
  return (state) => {
    const next = selector(state);
    if (previous.current !== undefined && sameItems(previous.current, next)) return previous.current;
    previous.current = next;
    return next;
  };
}
