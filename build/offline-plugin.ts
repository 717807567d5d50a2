import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';
import { DEFAULT_BACKBONE_ID } from '../src/ml/backbones/catalog';
import { buildOfflineManifest } from './offline-manifest';

/** The line of public/sw.js that a build replaces with the manifest. */
const MANIFEST_LINE = /^const MANIFEST = .*$/m;

/**
 * After a build, lists every file of the app with a hash of its contents and writes that list
 * into the built `sw.js` (and `sw-manifest.json`, for people and tests). Each build whose files
 * differ therefore ships a different `sw.js`, which the browser installs as an update.
 */
export function offlineManifest(): Plugin {
  let outDir = 'dist';
  return {
    name: 'transfer-studio-offline-manifest',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir.startsWith('/') ? config.build.outDir : join(config.root, config.build.outDir);
    },
    closeBundle() {
      const manifest = buildOfflineManifest(outDir, DEFAULT_BACKBONE_ID);
      const sw = join(outDir, 'sw.js');
      const source = readFileSync(sw, 'utf8');
      if (!MANIFEST_LINE.test(source)) throw new Error('public/sw.js has no `const MANIFEST = ...` line to fill');
      writeFileSync(sw, source.replace(MANIFEST_LINE, `const MANIFEST = ${JSON.stringify(manifest)};`));
      writeFileSync(join(outDir, 'sw-manifest.json'), JSON.stringify(manifest, null, 1));
    },
  };
}

/** The Content-Security-Policy of the built app: our own origin only (plus blob:/data: where needed). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self' blob: data:",
  "img-src 'self' blob: data:",
  "media-src 'self' blob: mediastream:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
  "manifest-src 'self'",
].join('; ');

/** Puts the CSP into the built index.html (not in dev, where Vite injects inline scripts). */
export function contentSecurityPolicy(): Plugin {
  return {
    name: 'transfer-studio-csp',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }],
  };
}
