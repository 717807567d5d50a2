import { useEffect, useSyncExternalStore } from 'react';
import * as repo from './project-repo';

/** hash -> object URL of the stored 224x224 copy, oldest first. */
const cache = new Map<string, string>();
/** Unused URLs kept for scrolling back; URLs on screen are never evicted, whatever their number. */
const MAX_CACHED = 600;
/** hash -> how many mounted thumbnails show it. */
const inUse = new Map<string, number>();
const loading = new Set<string>();
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Revokes the oldest URLs that no mounted thumbnail shows until at most MAX_CACHED remain. Evicting
 * a URL on screen would make it load again, evict another one on screen, and so on forever (200
 * classes with a few dozen visible thumbnails each used to do exactly that).
 */
function evict(): void {
  let excess = cache.size - MAX_CACHED;
  if (excess <= 0) return;
  for (const [hash, url] of cache) {
    if (excess <= 0) break;
    if (inUse.has(hash)) continue;
    URL.revokeObjectURL(url);
    cache.delete(hash);
    excess--;
  }
}

function remember(hash: string, url: string): void {
  cache.set(hash, url);
  evict();
  for (const listener of listeners) listener();
}

function retain(hash: string): () => void {
  inUse.set(hash, (inUse.get(hash) ?? 0) + 1);
  return () => {
    const n = (inUse.get(hash) ?? 1) - 1;
    if (n > 0) inUse.set(hash, n);
    else inUse.delete(hash);
  };
}

/**
 * An object URL for an image's stored 224x224 copy, loaded lazily (one read per photo however many
 * components ask) and cached while shown, plus up to MAX_CACHED recently shown ones.
 */
export function useThumbnail(hash: string): string | null {
  const url = useSyncExternalStore(subscribe, () => cache.get(hash) ?? null);
  useEffect(() => (hash ? retain(hash) : undefined), [hash]);
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

/** For tests: how many URLs are cached and how many hashes are on screen. */
export function thumbnailCacheStats(): { cached: number; inUse: number } {
  return { cached: cache.size, inUse: inUse.size };
}
