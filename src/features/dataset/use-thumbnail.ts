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

function remember(urls: readonly (readonly [string, string])[]): void {
  for (const [hash, url] of urls) cache.set(hash, url);
  evict();
  for (const listener of listeners) listener();
}

let wanted: string[] = [];

/** Reads, in one IndexedDB transaction, every copy asked for in the same task (a grid mounts dozens at once). */
function request(hash: string): void {
  wanted.push(hash);
  if (wanted.length > 1) return;
  setTimeout(() => {
    const batch = wanted;
    wanted = [];
    repo
      .getPixelsMany(batch)
      .then((blobs) => remember(batch.flatMap((h, i) => (blobs[i] ? [[h, URL.createObjectURL(blobs[i])] as const] : []))))
      .catch(() => undefined) // the database went away meanwhile: placeholders stay
      .finally(() => batch.forEach((h) => loading.delete(h)));
  }, 0);
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
    request(hash);
  }, [hash, url]);
  return url;
}

