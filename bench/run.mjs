// Runs the bench scripts one after another: `npm run bench`, or `npm run bench -- import` for some.
// Each entry is one script; append yours (name, command, what it measures). Results: bench/RESULTS.md.
import { spawnSync } from 'node:child_process';

const BENCHES = [
  { name: 'import', cmd: ['npx', 'tsx', 'bench/import.ts'], what: 'dataset import in headless Chromium: time, long tasks, heap, RSS (issue 3)' },
  { name: 'predict', cmd: ['npx', 'tsx', 'bench/predict.ts'], what: 'per-photo latency, folder throughput and webcam frames/s with the default backbone (issue 6)' },
  { name: 'scale', cmd: ['npx', 'tsx', 'bench/scale.ts', '--train=mobilenet_v1_025_224_tfhub'], what: '20,000 synthetic photos in 200 classes: import time, long tasks, memory, reload, then embed and train with the lightest backbone (issue 8)' },
  { name: 'tflite', cmd: ['npx', 'tsx', 'bench/tflite.ts'], what: 'TFLite export: file size, conversion time, load and run time in tfjs-tflite per layers backbone (issue 11)' },
  { name: 'tflite-int8', cmd: ['npx', 'tsx', 'bench/tflite-int8.ts'], what: 'int8-weights TFLite vs float: validation accuracy on clothing-small per layers backbone (issue 11)' },
  { name: 'tflite-full-int8', cmd: ['npx', 'tsx', 'bench/tflite-full-int8.ts'], what: 'float vs int8-weights vs full-integer TFLite: test accuracy on clothing-small and sign-digits per layers backbone (issue 19)' },
  { name: 'finetune', cmd: ['npx', 'tsx', 'bench/finetune.ts', '--train=40', '--val=15'], what: 'test accuracy before/after fine-tuning and its time, clothing-small and sign-digits, Node wasm (issue 10)' },
  { name: 'fold', cmd: ['npx', 'tsx', 'bench/fold.ts'], what: 'folded (BatchNorm folded, activations fused) vs layers embedding speed per layers backbone, Node wasm (issue 17)' },
  { name: 'head-speed', cmd: ['npx', 'tsx', 'bench/head-speed.ts'], what: 'head training time: 50 epochs on 3,000 synthetic embeddings, Node wasm, wall and CPU seconds (issue 17)' },
  { name: 'results-scale', cmd: ['npx', 'tsx', 'bench/results-scale.ts'], what: '1,000 photos classified in the app: long tasks, page length, rows in the DOM, frame times scrolling the results (issue 18)' },
  { name: 'frozen-tricks', cmd: ['sh', '-c', 'npx tsx bench/head-recipes.ts --embed-only && npx tsx bench/frozen-tricks.ts'], what: 'L2 / standardised embeddings and 3-head ensembles vs the default head, 6 seeds, clothing-small, clothing-20 and sign-digits (issue 20)' },
  { name: 'runtimes', cmd: ['npx', 'tsx', 'bench/runtimes.ts', '--n=80'], what: 'the backbone embedding in tfjs-wasm, onnxruntime-web and LiteRT.js (the app on wasm), one and two threads (issue 17); needs npm install --no-save onnxruntime-web' },
  { name: 'backbone-pairs', cmd: ['sh', '-c', 'npx tsx bench/head-recipes.ts --embed-only && npx tsx bench/backbone-pairs.ts --seeds=6'], what: 'the default head on one backbone and on two concatenated (raw and L2 each), 6 seeds, three sets, with the embedding cost (issue 20)' },
  { name: 'drop-to-trained', cmd: ['npx', 'tsx', 'bench/drop-to-trained.ts'], what: '300 photos from the drop to a trained model, with and without embedding ahead of Train (issue 17)' },
  { name: 'determinism', cmd: ['npx', 'tsx', 'bench/determinism.ts'], what: 'the same photos and seed in three import orders: held-out accuracy of each run (issue 21)' },
  { name: 'repaint-cost', cmd: ['npx', 'tsx', 'bench/repaint-cost.ts'], what: 'import and embed step of 300 photos with the page shown vs hidden: what repaints cost on a machine without a GPU (issue 17)' },
  { name: 'embed', cmd: ['npx', 'tsx', 'bench/embed.ts'], what: 'embedding speed per backend x backbone, vs Teachable Machine, long tasks, peak memory (issue 4)' },
];

const wanted = process.argv.slice(2);
const chosen = wanted.length ? BENCHES.filter((b) => wanted.includes(b.name)) : BENCHES;
if (chosen.length === 0) {
  console.error(`Unknown bench. Choose from: ${BENCHES.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const b of chosen) {
  console.log(`\n== ${b.name}: ${b.what}\n$ ${b.cmd.join(' ')}`);
  const run = spawnSync(b.cmd[0], b.cmd.slice(1), { stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`${b.name} failed (exit ${run.status})`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
