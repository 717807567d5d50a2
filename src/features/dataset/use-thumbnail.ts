import { useEffect, useState } from 'react';
import * as repo from './project-repo';

const cache = new Map<string, string>();
const MAX_CACHED = 600;

function remember(hash: string, url: string): void {
  cache.set(hash, url);
  if (cache.size <= MAX_CACHED) return;
  const [oldest] = cache.keys();
  if (oldest === undefined) return;
  URL.revokeObjectURL(cache.get(oldest) ?? '');
  cache.delete(oldest);
}

/** An object URL for an image's stored 224x224 copy, loaded lazily and cached (bounded). */
export function useThumbnail(hash: string): string | null {
  const [loaded, setLoaded] = useState<{ hash: string; url: string } | null>(null);
  useEffect(() => {
    if (!hash || cache.has(hash)) return;
    let live = true;
    void repo.getPixels(hash).then((blob) => {
      if (!blob) return;
      const url = cache.get(hash) ?? URL.createObjectURL(blob);
      remember(hash, url);
      if (live) setLoaded({ hash, url });
    });
    return () => {
      live = false;
    };
  }, [hash]);
  return cache.get(hash) ?? (loaded?.hash === hash ? loaded.url : null);
}
