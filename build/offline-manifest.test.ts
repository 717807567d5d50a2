import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOfflineManifest } from './offline-manifest';

function app(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'dist-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const FILES = {
  'index.html': '<!doctype html>',
  'sw.js': 'worker',
  'assets/index-abc.js': 'code',
  'assets/index-abc.js.map': 'map',
  'tfjs-wasm/tfjs-backend-wasm-simd.wasm': 'wasm',
  'models/default_one/model.json': '{}',
  'models/default_one/weights.bin': 'AAAA',
  'models/default_one/labels.txt': 'cat',
  'models/other/model.json': '{}',
  'models/other/weights.bin': 'BBBB',
  'samples/clothing/index.json': '{}',
  'litert/litert_wasm_threaded_internal.js': 'glue',
  'litert/litert_wasm_threaded_internal.wasm': 'wasm',
  'litert/litert_wasm_internal.wasm': 'wasm1',
  'litert/litert_wasm_compat_internal.wasm': 'wasm2',
};

describe('the offline manifest', () => {
  it('precaches the app, the default backbone and LiteRT.js\' threaded build; other backbones, the samples and the single-thread builds wait for first use', () => {
    const m = buildOfflineManifest(app(FILES), 'default_one');
    expect(m.precache.map(([url]) => url)).toEqual([
      'assets/index-abc.js',
      './',
      'litert/litert_wasm_threaded_internal.js',
      'litert/litert_wasm_threaded_internal.wasm',
      'models/default_one/model.json',
      'models/default_one/weights.bin',
      'tfjs-wasm/tfjs-backend-wasm-simd.wasm',
    ]);
    expect(m.runtime.map(([url]) => url)).toEqual([
      'litert/litert_wasm_compat_internal.wasm',
      'litert/litert_wasm_internal.wasm',
      'models/default_one/labels.txt',
      'models/other/model.json',
      'models/other/weights.bin',
      'samples/clothing/index.json',
    ]);
  });

  it('gives a file whose bytes change, with the same name and size, a new revision and the app a new version', () => {
    const before = buildOfflineManifest(app(FILES), 'default_one');
    const changed = app(FILES);
    writeFileSync(join(changed, 'models/other/weights.bin'), 'BBBC'); // same size, other bytes
    const after = buildOfflineManifest(changed, 'default_one');
    const rev = (m: typeof before, url: string) => [...m.precache, ...m.runtime].find(([u]) => u === url)?.[1];
    expect(rev(after, 'models/other/weights.bin')).not.toBe(rev(before, 'models/other/weights.bin'));
    expect(rev(after, 'models/other/model.json')).toBe(rev(before, 'models/other/model.json'));
    expect(after.version).not.toBe(before.version);
    expect(buildOfflineManifest(app(FILES), 'default_one').version).toBe(before.version);
  });
});
