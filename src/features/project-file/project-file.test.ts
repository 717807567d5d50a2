import 'fake-indexeddb/auto';
import { strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_SETTINGS } from '../../ml/head/settings';
import type { TrainedModel } from '../../store/training-store';
import * as repo from '../dataset/project-repo';
import { buildProjectZip } from './project-export';
import { readProjectFile } from './project-read';

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 0xff, 0xd9]);
const hash = (n: number) => n.toString(16).padStart(64, '0');

function model(classIds: string[], backboneId: TrainedModel['backboneId'] = 'mobilenet_v2_100_224', dim = 1280): TrainedModel {
  const k = classIds.length;
  return {
    backboneId,
    classIds,
    classNames: classIds.map((c) => `name ${c}`),
    head: {
      dim,
      numClasses: k,
      hiddenUnits: 0,
      dropout: 0.3,
      weights: [
        { name: 'head_out/kernel', shape: [dim, k], values: new Float32Array(dim * k).map((_, i) => i / 1000) },
        { name: 'head_out/bias', shape: [k], values: new Float32Array(k).fill(0.5) },
      ],
    },
    settings: { ...DEFAULT_TRAIN_SETTINGS, hiddenUnits: 0 },
    history: [{ epoch: 1, loss: 0.5, accuracy: 0.8, valLoss: null, valAccuracy: null }],
    bestEpoch: 1,
    evaluation: { accuracy: 1, confusion: [[1, 0], [0, 1]], perClass: [{ precision: 1, recall: 1, f1: 1, support: 1 }, { precision: 1, recall: 1, f1: 1, support: 1 }] },
    validationImageIds: [`a:${hash(1)}`, `b:${hash(3)}`],
    validationPredicted: [0, 1],
    mistakes: [],
    trainedAt: 1700000000000,
  };
}

async function storeProject(): Promise<void> {
  await repo.clear();
  await repo.saveClass({ id: 'a', name: '<img src=x onerror=alert(1)>', order: 1 });
  await repo.saveClass({ id: 'b', name: 'B', order: 2 });
  const items = [1, 2, 3].map((n) => ({ image: { id: `${n < 3 ? 'a' : 'b'}:${hash(n)}`, hash: hash(n), classId: n < 3 ? 'a' : 'b', path: `d/${n}.jpg`, name: `${n}.jpg` }, jpeg: new Blob([JPEG]), width: 100 + n, height: 90 }));
  await repo.putImages(items);
  await repo.putEmbeddings('mobilenet_v2_100_224', new Map([1, 2, 3].map((n) => [hash(n), new Float32Array(1280).fill(n)])));
  await repo.putEmbeddings('mobilenet_v2_035_224', new Map([[hash(2), new Float32Array(1280).fill(7)]]));
  await repo.putMeta('model', model(['a', 'b']));
}

/** Rewrites project.json (and optionally other entries) of a project zip. */
function tamper(zip: Uint8Array, edit: (manifest: Record<string, unknown>) => void, entries: Zippable = {}): Uint8Array {
  const files = unzipSync(zip) as Zippable;
  const manifest = JSON.parse(new TextDecoder().decode(files['project.json'] as Uint8Array)) as Record<string, unknown>;
  edit(manifest);
  return zipSync({ ...files, ...entries, 'project.json': strToU8(JSON.stringify(manifest)) });
}

describe('project files', () => {
  let zip: Uint8Array;
  beforeEach(async () => {
    await storeProject();
    zip = await buildProjectZip();
  });

  it('round-trips classes, images, pixels, embeddings of every backbone and the model', async () => {
    const read = readProjectFile(zip);
    await repo.replaceProject(read.contents);
    const { classes, images } = await repo.listRecords();
    expect(classes.map((c) => c.name)).toEqual(['<img src=x onerror=alert(1)>', 'B']);
    expect(images.map((im) => [im.hash, im.classId, im.width])).toEqual([1, 2, 3].map((n) => [hash(n), n < 3 ? 'a' : 'b', 100 + n]));
    expect(new Uint8Array(await ((await repo.getPixelsMany([hash(2)]))[0] as Blob).arrayBuffer())).toEqual(JPEG);
    const v2 = await repo.getEmbeddings('mobilenet_v2_100_224', [hash(1), hash(2), hash(3)]);
    expect([...v2.values()].map((e) => e[0])).toEqual([1, 2, 3]);
    expect((await repo.getEmbeddings('mobilenet_v2_035_224', [hash(2)])).get(hash(2))?.[5]).toBe(7);
    const restored = await repo.getMeta<TrainedModel>('model');
    expect(restored?.head.weights[0]?.values[1281]).toBeCloseTo(1.281, 6);
    expect(restored?.evaluation?.confusion).toEqual([[1, 0], [0, 1]]);
  });

  it('round-trips a most-accurate project: the pair embeddings travel as its two parts, the model with its 2048-value head', async () => {
    await repo.putEmbeddings('most-accurate', new Map([1, 2, 3].map((n) => [hash(n), Float32Array.from({ length: 2048 }, (_, i) => (i < 1280 ? n : -n))])));
    await repo.putMeta('model', model(['a', 'b'], 'most-accurate', 2048));
    const files = unzipSync(await buildProjectZip());
    expect(Object.keys(files).filter((f) => f.startsWith('embeddings/')).sort()).toEqual(['embeddings/mobilenet_v1_075_224.bin', 'embeddings/mobilenet_v2_035_224.bin', 'embeddings/mobilenet_v2_100_224.bin']);
    const read = readProjectFile(zipSync(files as Zippable));
    await repo.replaceProject(read.contents);
    const pair = await repo.getEmbeddings('most-accurate', [hash(1), hash(2), hash(3)]);
    expect([...pair.values()].map((e) => [e.length, e[0], e[1279], e[1280], e[2047]])).toEqual([1, 2, 3].map((n) => [2048, n, n, -n, -n]));
    expect((await repo.getEmbeddings('mobilenet_v1_075_224', [hash(2)])).get(hash(2))?.length).toBe(768);
    const restored = await repo.getMeta<TrainedModel>('model');
    expect([restored?.backboneId, restored?.head.dim]).toEqual(['most-accurate', 2048]);
    // A photo with only one part cached counts as missing for the pair.
    await repo.putEmbeddings('mobilenet_v2_100_224', new Map([[hash(9), new Float32Array(1280)]]));
    expect(await repo.missingEmbeddings('most-accurate', [hash(1), hash(9)])).toEqual([hash(9)]);
  });

  it('round-trips a fine-tuned backbone: its weights go to model/backbone.bin and come back bit for bit', async () => {
    const values = new Float32Array(6 * 4).map((_, i) => Math.fround(i / 7 - 1));
    const tuned: TrainedModel = {
      ...model(['a', 'b']),
      fineTune: {
        settings: { blocks: 2, epochs: 3, learningRate: 1e-5, batchSize: 16, augment: true, patience: 2, seed: 42 },
        before: { valLoss: 0.4, valAccuracy: 0.5 },
        after: { valLoss: 0.2, valAccuracy: 1 },
        bestTuned: { valLoss: 0.2, valAccuracy: 1 },
        improved: true,
        stoppedByUser: false,
        history: [{ epoch: 1, loss: 0.3, accuracy: 0.9, valLoss: 0.2, valAccuracy: 1 }],
        durationMs: 1234,
        backbone: { backboneId: 'mobilenet_v2_100_224', layers: ['Conv_1'], weights: [{ name: 'Conv_1/kernel', shape: [1, 1, 6, 4], values }] },
      },
    };
    await repo.putMeta('model', tuned);
    const withTune = await buildProjectZip();
    expect(unzipSync(withTune)['model/backbone.bin']?.byteLength).toBe(values.byteLength);
    const read = readProjectFile(withTune);
    expect(read.model?.fineTune?.backbone?.weights[0]?.values).toEqual(values);
    expect(read.model?.fineTune?.after.valAccuracy).toBe(1);
    expect(read.model?.fineTune?.settings.augment).toBe(true);
    expect(() => readProjectFile(tamper(withTune, () => undefined, { 'model/backbone.bin': new Uint8Array(8) }))).toThrow(/backbone.bin is 8 bytes/);
    expect(() =>
      readProjectFile(tamper(withTune, (m) => ((m.model as { fineTune: { backbone: { backboneId: string } } }).fineTune.backbone.backboneId = 'mobilenet_v2_035_224'))),
    ).toThrow(/is for "mobilenet_v2_035_224"/);
  });

  it('refuses what is not a project file', () => {
    expect(() => readProjectFile(new Uint8Array(1000).map((_, i) => (i * 37) % 251))).toThrow(/not a zip archive/);
    expect(() => readProjectFile(zipSync({ 'a.txt': strToU8('hi') }))).toThrow(/no project.json/);
    expect(() => readProjectFile(tamper(zip, (m) => (m.format = 'other')))).toThrow(/not a Transfer Studio project/);
  });

  it('refuses wrong shapes, huge declared sizes and dangling references before writing anything', () => {
    expect(() => readProjectFile(tamper(zip, (m) => (m.images = Array.from({ length: 200_000 }, () => ({})))))).toThrow(/images has 200000 items/);
    expect(() => readProjectFile(tamper(zip, (m) => ((m.images as { hash: string }[])[0] = { ...(m.images as { hash: string }[])[0], hash: '../../etc/passwd' })))).toThrow(/hash must be 64/);
    expect(() => readProjectFile(tamper(zip, (m) => ((m.images as { classId: string }[])[0] = { ...(m.images as { classId: string }[])[0], classId: 'zzz' })))).toThrow(/class the file does not define/);
    expect(() => readProjectFile(tamper(zip, () => undefined, { 'embeddings/mobilenet_v2_100_224.bin': new Uint8Array(12) }))).toThrow(/is 12 bytes; 3 rows of 1280 float32 values need 15360/);
    expect(() => readProjectFile(tamper(zip, (m) => ((m.embeddings as { dim: number }[])[0] = { ...(m.embeddings as { dim: number }[])[0], dim: 99999 })))).toThrow(/dim must be/);
    expect(() => readProjectFile(tamper(zip, () => undefined, { [`pixels/${hash(1)}.jpg`]: strToU8('<script>alert(1)</script>') }))).toThrow(/is not a JPEG/);
    expect(() =>
      readProjectFile(
        tamper(zip, (m) => {
          const mm = m.model as { head: { weights: { shape: number[] }[] } };
          const w = mm.head.weights[0];
          if (w) w.shape = [100000, 100000];
        }),
      ),
    ).toThrow(/shape must be|has shape/);
    expect(() => readProjectFile(tamper(zip, (m) => ((m.settings as Record<string, unknown>).epochs = 1e9)))).toThrow(/settings: Setting epochs/);
  });
});
