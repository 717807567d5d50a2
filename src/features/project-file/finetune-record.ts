import { isBackboneId } from '../../ml/backbones/catalog';
import type { HeadWeight } from '../../ml/head/head-artifact';
import type { FineTuneRecord } from '../../store/training-store';
import type { TunedBackbone } from '../../worker/ml-api';
import { bool, int, list, num, numOrNull, obj, reject, text } from './json-check';

/** A fine-tune record in project.json: the backbone's weight values move to model/backbone.bin (float32). */
export type StoredFineTune = Omit<FineTuneRecord, 'backbone'> & { backbone: (Omit<TunedBackbone, 'weights'> & { weights: { name: string; shape: number[] }[] }) | null };

/** Splits a fine-tune record into its JSON part and the backbone weights' bytes (empty when the pretrained backbone is kept). */
export function fineTuneToRecord(record: FineTuneRecord): { json: StoredFineTune; bin: Uint8Array } {
  const weights = record.backbone?.weights ?? [];
  const values = new Float32Array(weights.reduce((n, w) => n + w.values.length, 0));
  let at = 0;
  for (const w of weights) {
    values.set(w.values, at);
    at += w.values.length;
  }
  const backbone = record.backbone ? { ...record.backbone, weights: weights.map((w) => ({ name: w.name, shape: [...w.shape] })) } : null;
  return { json: { ...record, backbone }, bin: new Uint8Array(values.buffer) };
}

const score = (v: unknown, what: string) => {
  const o = obj(v, what);
  return { valLoss: num(o.valLoss, `${what}.valLoss`, 0, 1e6), valAccuracy: num(o.valAccuracy, `${what}.valAccuracy`, 0, 1) };
};

/** Validates a stored fine-tune record against the model's backbone and rebuilds it with model/backbone.bin. */
export function recordToFineTune(v: unknown, backboneId: string, bin: Uint8Array | undefined): FineTuneRecord {
  const o = obj(v, 'model.fineTune');
  const s = obj(o.settings, 'model.fineTune.settings');
  const settings = {
    blocks: int(s.blocks, 'fine-tune blocks', 1, 16),
    epochs: int(s.epochs, 'fine-tune epochs', 1, 100),
    learningRate: num(s.learningRate, 'fine-tune learning rate', 1e-9, 0.01),
    batchSize: int(s.batchSize, 'fine-tune batch size', 1, 64),
    augment: bool(s.augment, 'fine-tune augment'),
    patience: int(s.patience, 'fine-tune patience', 0, 100),
    seed: int(s.seed, 'fine-tune seed', 0, 2 ** 32 - 1),
  };
  const history = list(o.history, 'model.fineTune.history', 100).map((e, i) => {
    const h = obj(e, `model.fineTune.history[${i}]`);
    return {
      epoch: int(h.epoch, 'epoch', 1, 100),
      loss: num(h.loss, 'loss', 0, 1e6),
      accuracy: num(h.accuracy, 'accuracy', 0, 1),
      valLoss: numOrNull(h.valLoss, 'valLoss', 0, 1e6),
      valAccuracy: numOrNull(h.valAccuracy, 'valAccuracy', 0, 1),
    };
  });
  let backbone: TunedBackbone | null = null;
  if (o.backbone !== null && o.backbone !== undefined) {
    const b = obj(o.backbone, 'model.fineTune.backbone');
    const id = text(b.backboneId, 'model.fineTune.backbone.backboneId', 100);
    if (!isBackboneId(id) || id !== backboneId) reject(`model.fineTune.backbone is for "${id}", the model for "${backboneId}"`);
    const layers = list(b.layers, 'model.fineTune.backbone.layers', 400).map((l) => text(l, 'a fine-tuned layer name', 100, 1));
    if (!bin) reject('The project file has a fine-tuned backbone but no model/backbone.bin');
    let offset = 0;
    const weights: HeadWeight[] = list(b.weights, 'model.fineTune.backbone.weights', 1000).map((w, i) => {
      const entry = obj(w, `model.fineTune.backbone.weights[${i}]`);
      const name = text(entry.name, `fine-tuned weight ${i} name`, 200, 3);
      if (!layers.includes(name.split('/')[0] ?? '')) reject(`Fine-tuned weight ${name} is not in one of the listed layers`);
      const shape = list(entry.shape, `${name} shape`, 4).map((d) => int(d, `${name} shape`, 1, 100_000));
      const end = offset + shape.reduce((n, d) => n * d, 1) * 4;
      if (end > bin.byteLength) reject(`model/backbone.bin is ${bin.byteLength} bytes, too short for the fine-tuned weights`);
      const values = new Float32Array(bin.slice(offset, end).buffer);
      if (values.some((x) => !Number.isFinite(x))) reject(`Fine-tuned weight ${name} holds values that are not finite numbers`);
      offset = end;
      return { name, shape, values };
    });
    if (offset !== bin.byteLength) reject(`model/backbone.bin is ${bin.byteLength} bytes; the fine-tuned weights need ${offset}`);
    backbone = { backboneId: id, layers, weights };
  }
  return {
    settings,
    before: score(o.before, 'model.fineTune.before'),
    after: score(o.after, 'model.fineTune.after'),
    bestTuned: o.bestTuned === null ? null : score(o.bestTuned, 'model.fineTune.bestTuned'),
    improved: bool(o.improved, 'model.fineTune.improved'),
    stoppedByUser: bool(o.stoppedByUser, 'model.fineTune.stoppedByUser'),
    history,
    durationMs: num(o.durationMs, 'model.fineTune.durationMs', 0, 1e9),
    backbone,
  };
}
