/**
 * Registers the service worker that makes the app work offline after one visit (production
 * builds only; `?nosw` skips it).
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  if (new URLSearchParams(window.location.search).has('nosw')) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register(`${import.meta.env.BASE_URL}sw.js`).catch((error: unknown) => console.warn('Offline mode unavailable:', error));
  });
}
