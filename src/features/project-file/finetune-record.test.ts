import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BACKBONES } from '../../ml/backbones/catalog';
import { blockLayout, inBlock } from '../../ml/finetune/blocks';
import type { FineTuneRecord } from '../../store/training-store';
import { fineTuneToRecord, recordToFineTune } from './finetune-record';

const MODELS = new URL('../../../public/models/', import.meta.url).pathname;

/** Names and shapes of the weights fine-tuning `blocks` blocks changes, read from the backbone's model.json (plus Conv_1 on MobileNetV2). */
function tunedWeights(id: string, blocks: number): { layers: string[]; weights: { name: string; shape: number[] }[] } {
  const layout = blockLayout(id);
  if (!layout) throw new Error(`${id} has no block layout`);
  const json = JSON.parse(readFileSync(join(MODELS, id, 'model.json'), 'utf8')) as { weightsManifest: { weights: { name: string; shape: number[] }[] }[] };
  const inTop = (layer: string) => layer === 'Conv_1' || Array.from({ length: blocks }, (_, i) => layout.count - i).some((k) => inBlock(layout, k, layer));
  const weights = json.weightsManifest
    .flatMap((g) => g.weights)
    .filter((w) => inTop(w.name.split('/')[0] ?? '') && !/_BN\/|_bn\/|moving|gamma|beta/.test(w.name));
  return { layers: [...new Set(weights.map((w) => w.name.split('/')[0] ?? ''))], weights };
}

describe.each(BACKBONES.filter((b) => b.format === 'layers').map((b) => [b.id] as const))('a fine-tuned %s in a project file', (id) => {
  it('keeps its layer names and weights through project.json and model/backbone.bin, bit for bit', () => {
    const { layers, weights } = tunedWeights(id, 2);
    expect(layers.length).toBeGreaterThanOrEqual(4);
    let seed = 1;
    const record: FineTuneRecord = {
      settings: { blocks: 2, epochs: 5, learningRate: 1e-5, batchSize: 16, augment: false, patience: 2, seed: 42 },
      before: { valLoss: 0.4, valAccuracy: 0.8 },
      after: { valLoss: 0.3, valAccuracy: 0.9 },
      bestTuned: { valLoss: 0.3, valAccuracy: 0.9 },
      improved: true,
      stoppedByUser: false,
      history: [{ epoch: 1, loss: 0.3, accuracy: 0.9, valLoss: 0.3, valAccuracy: 0.9 }],
      durationMs: 1000,
      backbone: {
        backboneId: id,
        layers,
        weights: weights.map((w) => ({ ...w, values: Float32Array.from({ length: w.shape.reduce((a, b) => a * b, 1) }, () => Math.fround(((seed = (seed * 48271) % 2147483647) / 2147483647) - 0.5)) })),
      },
    };
    const { json, bin } = fineTuneToRecord(record);
    const back = recordToFineTune(JSON.parse(JSON.stringify(json)), id, bin);
    expect(back.backbone?.layers).toEqual(layers);
    expect(back.backbone?.weights.map((w) => [w.name, w.shape])).toEqual(weights.map((w) => [w.name, w.shape]));
    // Byte for byte (a deep toEqual over ~1.5 million numbers takes half a minute).
    const bytes = (v: Float32Array | undefined) => Buffer.from(v?.buffer ?? new ArrayBuffer(0), v?.byteOffset, v?.byteLength);
    back.backbone?.weights.forEach((w, i) => expect(bytes(w.values).equals(bytes(record.backbone?.weights[i]?.values)), w.name).toBe(true));
  });
});
