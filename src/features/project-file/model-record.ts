import { getBackboneSpec, isBackboneId } from '../../ml/backbones/catalog';
import type { HeadWeight } from '../../ml/head/head-artifact';
import type { Evaluation } from '../../ml/head/metrics';
import type { EpochLog } from '../../ml/head/train-head';
import type { Mistake, TrainedModel } from '../../store/training-store';
import { fineTuneToRecord, recordToFineTune, type StoredFineTune } from './finetune-record';
import { int, list, num, numOrNull, obj, reject, text } from './json-check';
import { readSettings } from './settings-check';

/** A trained model in project.json: the head's weight values move to model/head.bin (float32). */
export type StoredModel = Omit<TrainedModel, 'head' | 'fineTune'> & {
  head: Omit<TrainedModel['head'], 'weights'> & { weights: { name: string; shape: number[] }[] };
  /** The last fine-tune; the fine-tuned backbone weights' values are in model/backbone.bin. */
  fineTune?: StoredFineTune | null;
};

/** Splits a model into its JSON part, the head's weight bytes and (fine-tuned) the backbone weights' bytes. */
export function modelToRecord(model: TrainedModel): { json: StoredModel; bin: Uint8Array; backboneBin: Uint8Array | null } {
  const total = model.head.weights.reduce((n, w) => n + w.values.length, 0);
  const values = new Float32Array(total);
  let at = 0;
  for (const w of model.head.weights) {
    values.set(w.values, at);
    at += w.values.length;
  }
  const fineTune = model.fineTune ? fineTuneToRecord(model.fineTune) : null;
  const json: StoredModel = {
    ...model,
    head: { ...model.head, weights: model.head.weights.map((w) => ({ name: w.name, shape: [...w.shape] })) },
    fineTune: fineTune?.json ?? null,
  };
  return { json, bin: new Uint8Array(values.buffer), backboneBin: fineTune?.json.backbone ? fineTune.bin : null };
}

/** The weights a head with these sizes has, by name, with their shapes. */
function expectedWeights(dim: number, hidden: number, classes: number): Map<string, number[]> {
  const out = new Map<string, number[]>();
  if (hidden > 0) {
    out.set('head_dense/kernel', [dim, hidden]);
    out.set('head_dense/bias', [hidden]);
  }
  out.set('head_out/kernel', [hidden > 0 ? hidden : dim, classes]);
  out.set('head_out/bias', [classes]);
  return out;
}

function readHead(v: unknown, backboneId: string, classes: number, bin: Uint8Array): TrainedModel['head'] {
  const head = obj(v, 'model.head');
  const dim = int(head.dim, 'model.head.dim', 1, 4096);
  if (dim !== getBackboneSpec(backboneId).embeddingSize) reject(`model.head.dim is ${dim}, but ${backboneId} embeddings have ${getBackboneSpec(backboneId).embeddingSize} values`);
  if (int(head.numClasses, 'model.head.numClasses', 1, 1000) !== classes) reject('model.head.numClasses does not match the model\'s classes');
  const hiddenUnits = int(head.hiddenUnits, 'model.head.hiddenUnits', 0, 1024);
  const dropout = num(head.dropout, 'model.head.dropout', 0, 0.99);
  const expected = expectedWeights(dim, hiddenUnits, classes);
  let offset = 0;
  const weights: HeadWeight[] = list(head.weights, 'model.head.weights', 4).map((w, i) => {
    const entry = obj(w, `model.head.weights[${i}]`);
    const name = text(entry.name, `model.head.weights[${i}].name`, 40);
    const shape = list(entry.shape, `${name} shape`, 2).map((d) => int(d, `${name} shape`, 1, 1_000_000));
    const want = expected.get(name);
    if (!want || want.join('x') !== shape.join('x')) reject(`Head weight ${name} has shape [${shape.join(', ')}]; expected ${want ? `[${want.join(', ')}]` : 'one of the head\'s weights'}`);
    expected.delete(name);
    const count = shape.reduce((n, d) => n * d, 1);
    const end = offset + count * 4;
    if (end > bin.byteLength) reject(`model/head.bin is ${bin.byteLength} bytes, too short for the head's weights`);
    const values = new Float32Array(bin.slice(offset, end).buffer);
    offset = end;
    return { name, shape, values };
  });
  const missing = [...expected.keys()].filter((n) => n !== 'head_out/bias');
  if (missing.length) reject(`The head has no ${missing.join(', ')}`);
  if (offset !== bin.byteLength) reject(`model/head.bin is ${bin.byteLength} bytes; the head's weights need ${offset}`);
  return { dim, numClasses: classes, hiddenUnits, dropout, weights };
}

function readHistory(v: unknown): EpochLog[] {
  return list(v, 'model.history', 500).map((e, i) => {
    const o = obj(e, `model.history[${i}]`);
    return {
      epoch: int(o.epoch, 'epoch', 1, 500),
      loss: num(o.loss, 'loss', 0, 1e6),
      accuracy: num(o.accuracy, 'accuracy', 0, 1),
      valLoss: numOrNull(o.valLoss, 'valLoss', 0, 1e6),
      valAccuracy: numOrNull(o.valAccuracy, 'valAccuracy', 0, 1),
    };
  });
}

function readEvaluation(v: unknown, classes: number): Evaluation | null {
  if (v === null) return null;
  const o = obj(v, 'model.evaluation');
  const confusion = list(o.confusion, 'model.evaluation.confusion', classes).map((row) => list(row, 'a confusion row', classes).map((n) => int(n, 'a confusion count', 0, 10_000_000)));
  if (confusion.length !== classes || confusion.some((r) => r.length !== classes)) reject(`model.evaluation.confusion must be ${classes}x${classes}`);
  const perClass = list(o.perClass, 'model.evaluation.perClass', classes).map((m) => {
    const c = obj(m, 'a per-class metric');
    return { precision: num(c.precision, 'precision', 0, 1), recall: num(c.recall, 'recall', 0, 1), f1: num(c.f1, 'f1', 0, 1), support: int(c.support, 'support', 0, 10_000_000) };
  });
  if (perClass.length !== classes) reject(`model.evaluation.perClass must list ${classes} classes`);
  return { accuracy: num(o.accuracy, 'model.evaluation.accuracy', 0, 1), confusion, perClass };
}

function readMistakes(v: unknown): Mistake[] {
  return list(v, 'model.mistakes', 1000).map((m) => {
    const o = obj(m, 'a mistake');
    return {
      imageId: text(o.imageId, 'mistake imageId', 400),
      trueClassId: text(o.trueClassId, 'mistake trueClassId', 100),
      predictedClassId: text(o.predictedClassId, 'mistake predictedClassId', 100),
      confidence: num(o.confidence, 'mistake confidence', 0, 1),
    };
  });
}

/** Validates a stored model against the project's class ids and rebuilds it with head.bin. */
export function recordToModel(v: unknown, bin: Uint8Array | undefined, projectClassIds: ReadonlySet<string>, backboneBin?: Uint8Array): TrainedModel {
  const o = obj(v, 'model');
  const backboneId = text(o.backboneId, 'model.backboneId', 100);
  if (!isBackboneId(backboneId)) reject(`model.backboneId "${backboneId}" is not a backbone this app has`);
  const classIds = list(o.classIds, 'model.classIds', 1000).map((c) => text(c, 'a model class id', 100));
  if (classIds.length === 0 || new Set(classIds).size !== classIds.length || classIds.some((c) => !projectClassIds.has(c))) reject('model.classIds must be distinct ids of the project\'s classes');
  const classNames = list(o.classNames, 'model.classNames', 1000).map((c) => text(c, 'a model class name', 200));
  if (classNames.length !== classIds.length) reject('model.classNames and model.classIds differ in length');
  if (!bin) reject('The project file has a model but no model/head.bin');
  const k = classIds.length;
  const validationImageIds = list(o.validationImageIds, 'model.validationImageIds', 200_000).map((s) => text(s, 'a validation image id', 400));
  const validationPredicted = list(o.validationPredicted, 'model.validationPredicted', 200_000).map((p) => int(p, 'a validation prediction', 0, k - 1));
  if (validationPredicted.length !== 0 && validationPredicted.length !== validationImageIds.length) reject('model.validationPredicted and model.validationImageIds differ in length');
  return {
    backboneId,
    classIds,
    classNames,
    head: readHead(o.head, backboneId, k, bin),
    settings: readSettings(o.settings, 'model.settings'),
    history: readHistory(o.history),
    bestEpoch: int(o.bestEpoch, 'model.bestEpoch', 0, 500),
    evaluation: readEvaluation(o.evaluation, k),
    validationImageIds,
    validationPredicted,
    mistakes: readMistakes(o.mistakes),
    trainedAt: num(o.trainedAt, 'model.trainedAt', 0, 1e15),
    fineTune: o.fineTune === null || o.fineTune === undefined ? null : recordToFineTune(o.fineTune, backboneId, backboneBin),
  };
}
