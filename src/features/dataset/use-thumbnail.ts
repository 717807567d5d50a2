import { useEffect, useSyncExternalStore } from 'react';
import * as repo from './project-repo';

/** hash -> object URL of the stored 224x224 copy, oldest first (bounded: a 10,000-photo class scrolls past many). */
const cache = new Map<string, string>();
const MAX_CACHED = 600;
const loading = new Set<string>();
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function remember(hash: string, url: string): void {
  cache.set(hash, url);
  while (cache.size > MAX_CACHED) {
    const [oldest, oldUrl] = cache.entries().next().value ?? [];
    if (oldest === undefined || oldUrl === undefined) break;
    URL.revokeObjectURL(oldUrl);
    cache.delete(oldest);
  }
  for (const listener of listeners) listener();
}

/**
 * An object URL for an image's stored 224x224 copy, loaded lazily (one read per photo however many
 * components ask) and cached. Every user re-renders when a URL arrives or is evicted, so a thumbnail
 * that mounted while its copy was being read still shows it, and an evicted one is read again.
 */
export function useThumbnail(hash: string): string | null {
  const url = useSyncExternalStore(subscribe, () => cache.get(hash) ?? null);
  useEffect(() => {
    if (!hash || url !== null || loading.has(hash)) return;
    loading.add(hash);
    repo
      .getPixels(hash)
      .then((blob) => {
        if (blob) remember(hash, URL.createObjectURL(blob));
      })
      .catch(() => undefined) // a photo deleted meanwhile: the placeholder stays
      .finally(() => loading.delete(hash));
  }, [hash, url]);
  return url;
}
