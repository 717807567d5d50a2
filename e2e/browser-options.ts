import { existsSync } from 'node:fs';

/** Debian's Chromium where present (Playwright's own download cannot run here); CHROMIUM_PATH overrides. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

/** Flags for WebGL through SwiftShader and a fake camera (shared/docs/browser-testing.md). */
export const CHROMIUM_ARGS = [
  '--disable-quic',
  '--use-gl=angle',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
];
