import react from '@vitejs/plugin-react';
import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';
import { contentSecurityPolicy, offlineManifest } from './build/offline-plugin';

/**
 * Cross-origin isolation (COOP/COEP): LiteRT.js' threaded build needs SharedArrayBuffer, which a
 * page has only when isolated. The app loads nothing from other origins, so isolation costs it
 * nothing. Static hosts without these headers get them from the service worker (public/sw.js).
 */
const ISOLATION_HEADERS = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  define: { 'import.meta.env.VITE_APP_VERSION': JSON.stringify(version) },
  plugins: [react(), contentSecurityPolicy(), offlineManifest()],
  base: './',
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
  preview: { port: 4173, strictPort: true, headers: ISOLATION_HEADERS },
  server: { port: 5173, headers: ISOLATION_HEADERS },
});
