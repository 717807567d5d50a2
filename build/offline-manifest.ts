import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** A file the service worker serves, relative to the app's root, and a hash of its bytes. */
export type Entry = [url: string, revision: string];

/** What the service worker caches: `precache` at install, `runtime` when first requested. */
export interface OfflineManifest {
  /** Changes whenever any listed file's bytes change. */
  version: string;
  precache: Entry[];
  runtime: Entry[];
}

/** Never cached: the worker itself, its manifest, source maps. */
const SKIP = [/^sw\.js$/, /^sw-manifest\.json$/, /\.map$/];

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const hashOf = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex').slice(0, 20);

/**
 * Lists a built app for the service worker, each file with a hash of its contents (a changed file
 * gets a new cache key even when its name and size stay the same). The app's code, styles, wasm
 * and the default backbone are precached; other backbones and the sample photos are cached the
 * first time they are used.
 */
export function buildOfflineManifest(outDir: string, defaultBackbone: string): OfflineManifest {
  const files = walk(outDir)
    .map((p) => relative(outDir, p).split('\\').join('/'))
    .filter((f) => !SKIP.some((re) => re.test(f)))
    .sort();
  const precache: Entry[] = [];
  const runtime: Entry[] = [];
  for (const file of files) {
    const rev = hashOf(readFileSync(join(outDir, file)));
    const url = file === 'index.html' ? './' : file;
    // LiteRT.js: the threaded build is precached (the page is cross-origin isolated once the
    // service worker serves it); the single-thread builds are cached when a page first loads one.
    const lazy = file.startsWith('samples/') || (file.startsWith('litert/') && !file.startsWith('litert/litert_wasm_threaded')) || (file.startsWith('models/') && !file.startsWith(`models/${defaultBackbone}/`)) || file.endsWith('/labels.txt');
    (lazy ? runtime : precache).push([url, rev]);
  }
  const version = createHash('sha256')
    .update(JSON.stringify([precache, runtime]))
    .digest('hex')
    .slice(0, 16);
  return { version, precache, runtime };
}
