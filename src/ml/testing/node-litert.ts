/**
 * Test-only: lets LiteRT.js' browser loader run in Node (vitest, benches). Its loader runs the
 * emscripten glue with `importScripts`, which Node lacks; the glue then sees Node and wants
 * CommonJS' `require` and `__dirname`. This gives it those for the load, and the folder of the
 * installed wasm files to load from. Node 20 has no relaxed SIMD, so LiteRT.js picks its plain-SIMD
 * ("compat") build here; browsers with relaxed SIMD get the other one (same kernels otherwise).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { runInThisContext } from 'node:vm';
import { loadLiteRtOnce } from '../backbones/litert-embedder';
import { ROOT } from './node-io';

export const LITERT_WASM_DIR = join(ROOT, 'node_modules', '@litertjs', 'core', 'wasm') + '/';

/** Loads LiteRT.js once in this Node process; returns the folder to give `liteRtUrl`. */
export async function useLiteRtInNode(): Promise<string> {
  const scope = globalThis as unknown as Record<string, unknown>;
  const shims: Record<string, unknown> = {
    importScripts: (file: string) => runInThisContext(readFileSync(file, 'utf8'), { filename: file }),
    require: createRequire(import.meta.url),
    __dirname: LITERT_WASM_DIR,
    __filename: join(LITERT_WASM_DIR, 'litert_wasm_compat_internal.js'),
  };
  const hadSelf = 'self' in scope;
  if (!hadSelf) scope.self = globalThis;
  Object.assign(scope, shims);
  try {
    await loadLiteRtOnce(LITERT_WASM_DIR);
  } finally {
    for (const key of Object.keys(shims)) delete scope[key];
    if (!hadSelf) delete scope.self;
  }
  return LITERT_WASM_DIR;
}
