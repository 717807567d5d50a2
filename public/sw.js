// Transfer Studio service worker: precaches the whole app (code, weights, wasm) listed in
// sw-manifest.json, so after one visit it works with no network. Same-origin GETs only.
const MANIFEST = 'sw-manifest.json';
const PREFIX = 'transfer-studio-';

async function precache() {
  const manifest = await (await fetch(MANIFEST, { cache: 'no-store' })).json();
  const cache = await caches.open(PREFIX + manifest.version);
  await cache.addAll(manifest.files);
  return manifest.version;
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const manifest = await (await fetch(MANIFEST, { cache: 'no-store' }).catch(() => null))?.json().catch(() => null);
      const keep = manifest ? PREFIX + manifest.version : null;
      for (const key of await caches.keys()) if (key.startsWith(PREFIX) && keep && key !== keep) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    // Network first for the page itself (new versions arrive), the cached copy when offline.
    event.respondWith(fetch(request).catch(async () => (await caches.match('./', { ignoreSearch: true, ignoreVary: true })) ?? Response.error()));
    return;
  }
  event.respondWith(caches.match(request, { ignoreSearch: true, ignoreVary: true }).then((hit) => hit ?? fetch(request)));
});
