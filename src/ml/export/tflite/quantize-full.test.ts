import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKBONES } from '../../backbones/catalog';
import { LayersBackbone } from '../../backbones/layers-backbone';
import { buildHead } from '../../head/train-head';
import { TEST_PHOTOS_DIR, MODELS_DIR, cosine, fileHandler, loadJpeg, useWasmBackend } from '../../testing/node-io';
import { exportTflite } from './export-tflite';
import { calibrate, int8Params, quantizeFull, type ActivationRanges } from './quantize-full';
import { readTflite } from './read-flatbuffer';
import { runTflite } from './reference-run';
import { BuiltinOperator } from './schema';
import { toTfliteGraph } from './to-tflite';

const SIZE = 224;
const CLASSES = ['dress', 'hat', 'pants', 'shoes'];

/** The committed clothing photos as uint8 RGB, per class in name order. */
function pixels(): Uint8Array[][] {
  return CLASSES.map((cls) => {
    const dir = join(TEST_PHOTOS_DIR, 'clothing-test', cls);
    return readdirSync(dir).sort().map((n) => loadJpeg(join(dir, n), SIZE));
  });
}
const toRange = (p: Uint8Array) => Float32Array.from(p, (v) => v / 127.5 - 1);

describe('int8Params', () => {
  it('maps the range, widened to hold 0, onto -128..127 with 0 exact', () => {
    expect(int8Params(0, 6)).toEqual({ scale: [Math.fround(6 / 255)], zeroPoint: [-128], dimension: 0 });
    const q = int8Params(-2, 3);
    const scale = q.scale[0] as number;
    const zero = q.zeroPoint[0] as number;
    expect(scale).toBeCloseTo(5 / 255, 7);
    expect(Math.abs(scale * (-128 - zero) + 2)).toBeLessThan(scale);
    expect(Math.abs(scale * (127 - zero) - 3)).toBeLessThan(scale);
    // A range that does not hold 0 is widened to it.
    expect(int8Params(1, 2)).toEqual(int8Params(0, 2));
  });
});

// The default backbone (MobileNetV2 1.0), calibrated on 3 photos per class, checked on the other 2.
describe('full-integer TFLite of the default backbone', () => {
  const spec = BACKBONES[0];
  let backbone: LayersBackbone;
  let photos: Uint8Array[][];
  let ranges: ActivationRanges;
  beforeAll(async () => {
    await useWasmBackend();
    photos = pixels();
    if (!spec || spec.format !== 'layers') throw new Error('the default backbone is a layers model');
    backbone = new LayersBackbone(spec, { handler: fileHandler(join(MODELS_DIR, spec.id)) });
    await backbone.load();
  });
  afterAll(() => backbone.dispose());

  it('keeps the embedding: cosine with the float one above 0.95 on held-out photos, each nearest its own photo', async () => {
    const dims = Array.from({ length: spec?.embeddingSize ?? 0 }, (_, k) => String(k));
    const float = await toTfliteGraph({ embedder: backbone.embeddingModel, head: null, labels: dims, description: '' });
    ranges = new Map();
    const calib = photos.flatMap((c) => c.slice(0, 3));
    calibrate(float, Float32Array.from(calib.flatMap((p) => Array.from(toRange(p)))), calib.length, ranges);
    const full = quantizeFull(float, ranges, [-1, 1]);
    // Every activation but the float output is int8; the input takes uint8 pixels.
    expect(full.tensors[full.inputs[0] ?? -1]).toMatchObject({ type: 'uint8', quantization: { scale: [Math.fround(2 / 255)], zeroPoint: [128] } });
    expect(full.tensors[full.outputs[0] ?? -1]?.type).toBe('float32');
    for (const op of full.ops.slice(1, -1)) for (const i of op.outputs) expect(full.tensors[i]?.type).toBe('int8');
    const held = photos.flatMap((c) => c.slice(3));
    const ints = held.map((p) => runTflite(full, Float32Array.from(p)));
    const floats = held.map((p) => runTflite(float, toRange(p)));
    let worst = 1;
    ints.forEach((q, k) => {
      const self = cosine(q, floats[k] as Float32Array);
      worst = Math.min(worst, self);
      floats.forEach((f, j) => j !== k && expect(self).toBeGreaterThan(cosine(q, f)));
    });
    console.warn(`full int8 (${spec?.id}): lowest embedding cosine(int8, float) on ${held.length} held-out photos = ${worst.toFixed(4)}`);
    expect(worst).toBeGreaterThan(0.95);
  });

  it('writes what TFLite\'s int8 kernels take: per-channel int8 filters, int32 biases at input x filter scale, the int8 softmax at 1/256, int8 op versions', async () => {
    const head = buildHead(spec?.embeddingSize ?? 0, CLASSES.length, { hiddenUnits: 16, dropout: 0, seed: 3 });
    const float = await toTfliteGraph({ embedder: backbone.embeddingModel, head, labels: CLASSES, description: '' });
    const r: ActivationRanges = new Map();
    const calib = photos.flatMap((c) => c.slice(0, 2));
    calibrate(float, Float32Array.from(calib.flatMap((p) => Array.from(toRange(p)))), calib.length, r);
    const bytes = await exportTflite(backbone.embeddingModel, head, CLASSES, 'test', [-1, 1], { fullInt8: { ranges: r, photos: calib.length } });
    head.dispose();
    const { graph, info } = readTflite(bytes);
    expect(graph.ops[0]?.op).toBe('QUANTIZE');
    expect(graph.ops.at(-1)?.op).toBe('DEQUANTIZE');
    expect(graph.ops.at(-2)?.op).toBe('SOFTMAX');
    expect(graph.tensors[graph.ops.at(-2)?.outputs[0] ?? -1]?.quantization).toEqual({ scale: [1 / 256], zeroPoint: [-128], dimension: 0 });
    for (const op of graph.ops.filter((o) => ['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED'].includes(o.op))) {
      const [x, w, b] = op.inputs.map((i) => graph.tensors[i]);
      const ws = w?.quantization?.scale ?? [];
      expect(w?.type).toBe('int8');
      expect(w?.quantization?.zeroPoint.every((z) => z === 0)).toBe(true);
      expect(w?.quantization?.dimension).toBe(op.op === 'DEPTHWISE_CONV_2D' ? 3 : 0);
      if (op.op !== 'FULLY_CONNECTED') expect(ws).toHaveLength(w?.shape[w.quantization?.dimension ?? 0] ?? -1);
      else expect(ws).toHaveLength(1);
      expect(b?.type).toBe('int32');
      const xs = x?.quantization?.scale[0] ?? NaN;
      (b?.quantization?.scale ?? []).forEach((s, c) => expect(Math.abs(s - xs * (ws[ws.length > 1 ? c : 0] ?? NaN))).toBeLessThanOrEqual(1e-6 * s));
    }
    const versions = new Set(info.operatorCodes.map((c) => `${c.builtinCode}@${c.version}`));
    for (const v of ['CONV_2D@3', 'DEPTHWISE_CONV_2D@3', 'FULLY_CONNECTED@4', 'ADD@2', 'MEAN@2', 'SOFTMAX@2', 'QUANTIZE@2', 'DEQUANTIZE@2']) {
      const [name, version] = v.split('@') as [keyof typeof BuiltinOperator, string];
      expect(versions.has(`${BuiltinOperator[name]}@${version}`)).toBe(true);
    }
    // Probabilities from pixels: close to the float graph's.
    const held = photos.flatMap((c) => c.slice(4));
    held.forEach((p) => {
      const q = runTflite(graph, Float32Array.from(p));
      const f = runTflite(float, toRange(p));
      expect(q.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 1);
      expect(Math.max(...Array.from(q, (v, i) => Math.abs(v - (f[i] as number))))).toBeLessThan(0.1);
    });
  });
});
