/**
 * Head training time: 50 epochs on 3,000 synthetic 1,280-value embeddings in 10 classes (default
 * head: Dense(128, relu), dropout, softmax; the automatic batch: 128 here), Node + tfjs wasm, and the CPU time it took.
 * `npx tsx bench/head-speed.ts` (issue 17). BENCH_BACKEND=cpu|wasm, BENCH_BATCH (default: the app's), BENCH_EPOCHS (50),
 * BENCH_STEPPER=auto|tensor|array (head-stepper.ts; default auto).
 */
import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from '../src/lib/random';
import { DEFAULT_TRAIN_SETTINGS } from '../src/ml/head/settings';
import type { StepperKind } from '../src/ml/head/head-stepper';
import { trainHead } from '../src/ml/head/train-head';
import { useWasmBackend as switchToWasm } from '../src/ml/testing/node-io';

const N = 3000;
const DIM = 1280;
const CLASSES = 10;
const EPOCHS = Number(process.env.BENCH_EPOCHS ?? 50);
if ((process.env.BENCH_BACKEND ?? 'wasm') === 'wasm') await switchToWasm();
else await tf.setBackend('cpu');
const random = mulberry32(1);
const labels = Int32Array.from({ length: N }, (_, i) => i % CLASSES);
const centres = Array.from({ length: CLASSES }, () => Float32Array.from({ length: DIM }, () => random()));
const embeddings = new Float32Array(N * DIM);
for (let i = 0; i < N; i++) for (let j = 0; j < DIM; j++) embeddings[i * DIM + j] = (centres[labels[i] as number]?.[j] ?? 0) + (random() - 0.5) * 2;
const indices = Array.from({ length: N }, (_, i) => i);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const result = await trainHead({
  embeddings,
  dim: DIM,
  labels,
  numClasses: CLASSES,
  trainIndices: indices.filter((i) => i % 7 !== 0),
  validationIndices: indices.filter((i) => i % 7 === 0),
  settings: { ...DEFAULT_TRAIN_SETTINGS, epochs: EPOCHS, earlyStoppingPatience: 0, ...(process.env.BENCH_BATCH ? { batchSize: Number(process.env.BENCH_BATCH) } : {}) },
}, { stepper: (process.env.BENCH_STEPPER ?? 'auto') as StepperKind });
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
console.log(`${tf.getBackend()}, ${process.env.BENCH_STEPPER ?? 'auto'} stepper: ${EPOCHS} epochs on ${N} x ${DIM}: ${wall.toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU; last val accuracy ${result.history.at(-1)?.valAccuracy?.toFixed(3)}`);
result.model.dispose();
