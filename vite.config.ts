import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { contentSecurityPolicy, offlineManifest } from './build/offline-plugin';

export default defineConfig({
  plugins: [react(), contentSecurityPolicy(), offlineManifest()],
  base: './',
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
  preview: { port: 4173, strictPort: true },
  server: { port: 5173 },
});
