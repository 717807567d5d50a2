/**
 * Folded vs layers embedding speed, Node + tfjs wasm (one thread), per layers backbone:
 * img/s at batch 1 and 16 on real photos (the committed test photos, repeated), median of
 * BENCH_REPEATS timed runs after one warm-up. `npx tsx bench/fold.ts` (issue 17).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BACKBONES } from '../src/ml/backbones/catalog';
import { LayersBackbone } from '../src/ml/backbones/layers-backbone';
import { MODELS_DIR, TEST_PHOTOS_DIR, fileHandler, loadJpeg, toBatch, useWasmBackend as switchToWasm } from '../src/ml/testing/node-io';

const SIZE = 224;
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
const photos = ['dress', 'hat', 'pants', 'shoes'].flatMap((cls) => {
  const dir = join(TEST_PHOTOS_DIR, 'clothing-test', cls);
  return readdirSync(dir)
    .filter((n) => n.endsWith('.jpg'))
    .sort()
    .map((n) => loadJpeg(join(dir, n), SIZE));
});
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

await switchToWasm();
console.log(`| backbone | batch | layers img/s | folded img/s | speed-up |`);
console.log(`| --- | --- | --- | --- | --- |`);
for (const spec of BACKBONES.filter((b) => b.format === 'layers')) {
  const make = (fold: boolean) => new LayersBackbone(spec, { handler: fileHandler(join(MODELS_DIR, spec.id)) }, { fold });
  const layers = make(false);
  const folded = make(true);
  await layers.load();
  await folded.load();
  for (const n of [1, 16]) {
    const batch = toBatch(Array.from({ length: n }, (_, i) => photos[i % photos.length] as Uint8Array), SIZE);
    const rate = async (b: LayersBackbone) => {
      await b.embed(batch);
      const times: number[] = [];
      for (let k = 0; k < REPEATS; k++) {
        const t0 = performance.now();
        await b.embed(batch);
        times.push(performance.now() - t0);
      }
      return (n * 1000) / median(times);
    };
    const a = await rate(layers);
    const b = await rate(folded);
    console.log(`| ${spec.id} | ${n} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${(b / a).toFixed(2)}x |`);
  }
  layers.dispose();
  folded.dispose();
}
