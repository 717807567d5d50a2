// Transfer Studio service worker. After one visit the app works with no network: the app's code,
// styles, wasm and the default backbone are cached at install; other backbones and the sample
// photos the first time they are used. Every file is cached under a key made from a hash of its
// bytes (MANIFEST, filled in by build/offline-plugin.ts), so a changed file is never served stale,
// even with the same name and size. Same-origin GETs only.
//
// Every response it gives the page carries COOP/COEP (cross-origin isolation: LiteRT.js' threaded
// build needs SharedArrayBuffer), so a static host that does not send those headers still gets an
// isolated page from the second visit on (the first one is not controlled yet: one thread).
const MANIFEST = { version: 'dev', precache: [], runtime: [] };
const CACHE = 'transfer-studio-files';
const OLD_PREFIX = 'transfer-studio-'; // caches of earlier workers (one cache per app version)

/** Path relative to the worker's scope ('' for the scope itself) -> revision. */
const REVISIONS = new Map([...MANIFEST.precache, ...MANIFEST.runtime].map(([url, rev]) => [url === './' ? '' : url, rev]));
const scope = () => new URL(self.registration.scope);
const keyFor = (path, rev) => new URL(`${path}?__rev=${rev}`, scope()).href;

async function cacheOne(cache, path, rev) {
  const key = keyFor(path, rev);
  if (await cache.match(key)) return;
  const response = await fetch(new URL(path, scope()).href, { cache: 'no-store' });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  await cache.put(key, response);
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      for (const [url, rev] of MANIFEST.precache) await cacheOne(cache, url === './' ? '' : url, rev);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith(OLD_PREFIX) && name !== CACHE) await caches.delete(name);
      const cache = await caches.open(CACHE);
      const wanted = new Set([...REVISIONS].map(([path, rev]) => keyFor(path, rev)));
      for (const request of await cache.keys()) if (!wanted.has(request.url)) await cache.delete(request);
      await self.clients.claim();
    })(),
  );
});

const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

/** The response with the isolation headers added (an error or opaque response is given as is). */
function isolated(response) {
  if (response.status === 0 || response.type === 'opaque' || response.type === 'error') return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** The cached copy of a listed file, or the network's (then cached when the file is listed). */
async function serve(request, path) {
  const rev = REVISIONS.get(path);
  if (rev === undefined) return fetch(request);
  const cache = await caches.open(CACHE);
  const key = keyFor(path, rev);
  const hit = await cache.match(key);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.status === 200) await cache.put(key, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  const base = scope();
  if (request.method !== 'GET' || url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) return;
  if (request.mode === 'navigate') {
    // Network first for the page itself (new versions arrive), the cached copy when offline.
    event.respondWith(
      fetch(request)
        .catch(async () => (await (await caches.open(CACHE)).match(keyFor('', REVISIONS.get('') ?? ''))) ?? Response.error())
        .then(isolated),
    );
    return;
  }
  event.respondWith(serve(request, decodeURIComponent(url.pathname.slice(base.pathname.length))).then(isolated));
});
