import { createHash } from 'node:crypto';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Plugin } from 'vite';

/** Files the service worker must not precache. */
const SKIP = [/^sw\.js$/, /^sw-manifest\.json$/, /\.map$/, /^models\/[^/]+\/labels\.txt$/];

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/**
 * After a build, lists every file of the app (code, styles, weights, wasm) in
 * `sw-manifest.json` with a version hash, for public/sw.js to precache: after one visit the app
 * works offline.
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
      const files = walk(outDir)
        .map((p) => relative(outDir, p).split('\\').join('/'))
        .filter((f) => !SKIP.some((re) => re.test(f)))
        .sort();
      const hash = createHash('sha256');
      for (const f of files) hash.update(`${f}:${statSync(join(outDir, f)).size}\n`);
      const version = hash.digest('hex').slice(0, 16);
      writeFileSync(join(outDir, 'sw-manifest.json'), JSON.stringify({ version, files: ['./', ...files.filter((f) => f !== 'index.html')] }));
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
