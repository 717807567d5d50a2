import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { assemble, WAT_MODULES } from './build-wat.mjs';

it('each committed wasm module is the bytes its .wat source assembles to (run `node scripts/build-wat.mjs` after editing one)', async () => {
  expect(WAT_MODULES.length).toBeGreaterThan(0);
  for (const module of WAT_MODULES) {
    const expected = await assemble(readFileSync(module.wat, 'utf8'), module);
    expect(readFileSync(module.ts, 'utf8')).toBe(expected);
  }
});
