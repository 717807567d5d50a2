import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_TRAIN_SETTINGS } from '../../ml/head/settings';
import type { FineTuneRequest } from '../../worker/ml-api';
import { INITIAL_PROJECT_STATE, useProjectStore, type ImageInfo } from '../../store/project-store';
import { INITIAL_TRAINING_STATE, useTrainingStore, type TrainedModel } from '../../store/training-store';
import { fineTuneModel } from './finetune-actions';

// The engine is replaced by its contract: fineTune records each request and answers (or fails) as told.
const engineFake = vi.hoisted(() => ({ requests: [] as unknown[], fail: null as Error | null, saveFails: false }));
vi.mock('../../engine/connection', () => ({
  engine: () =>
    Promise.resolve({
      fineTune: async (request: unknown) => {
        engineFake.requests.push(request);
        if (engineFake.fail) throw engineFake.fail;
        const r = request as { validationIndices: number[]; numClasses: number };
        const score = { valLoss: 0.5, valAccuracy: 0.5 };
        return {
          history: [],
          before: score,
          after: score,
          bestTuned: null,
          improved: false,
          stoppedByUser: false,
          validationProbabilities: new Float32Array(r.validationIndices.length * r.numClasses).fill(1 / r.numClasses),
          head: { dim: 8, numClasses: r.numClasses, hiddenUnits: 0, dropout: 0, weights: [] },
          durationMs: 1,
          backbone: null,
        };
      },
    }),
}));
const journal = vi.hoisted(() => ({ calls: [] as string[] }));
vi.mock('../session/work-journal', () => ({
  workStarted: (kind: string) => journal.calls.push(`start ${kind}`),
  workEnded: (kind: string) => journal.calls.push(`end ${kind}`),
}));
vi.mock('../prediction/predict-actions', () => ({ ensureModelBackbone: async () => undefined }));
vi.mock('../dataset/project-repo', () => ({
  getPixelsMany: async (hashes: string[]) => hashes.map((h) => new Blob([h], { type: 'image/jpeg' })),
  putMeta: async () => {
    if (engineFake.saveFails) throw Object.assign(new Error('No space left'), { code: 'quota-exceeded' });
  },
}));

const CLASS_IDS = ['c-a', 'c-b'];
const IMAGES: ImageInfo[] = ['f3', '0a', 'c1', '7d', '19', 'e0'].map((hash, i) => {
  const classId = CLASS_IDS[i % 2] as string;
  return { id: `${classId}:${hash}`, hash, classId, path: `${hash}.jpg`, name: `${hash}.jpg` };
});

function trained(backboneId: string): TrainedModel {
  return {
    backboneId,
    classIds: CLASS_IDS,
    classNames: ['a', 'b'],
    head: { dim: 8, numClasses: 2, hiddenUnits: 0, dropout: 0, weights: [] },
    settings: DEFAULT_TRAIN_SETTINGS,
    history: [{ epoch: 1, loss: 1, accuracy: 0.5, valLoss: 1, valAccuracy: 0.5 }],
    bestEpoch: 1,
    evaluation: null,
    validationImageIds: [IMAGES[0]?.id ?? '', IMAGES[1]?.id ?? ''],
    validationPredicted: [0, 1],
    mistakes: [],
    trainedAt: 0,
  };
}

beforeEach(() => {
  engineFake.requests = [];
  engineFake.fail = null;
  engineFake.saveFails = false;
  useProjectStore.setState({ ...INITIAL_PROJECT_STATE, classes: CLASS_IDS.map((id, order) => ({ id, name: id, order })), images: IMAGES });
  useTrainingStore.setState({ ...INITIAL_TRAINING_STATE, phase: 'done' });
});

describe('fineTuneModel', () => {
  it('on a graph backbone says it cannot be fine-tuned and why, and the state is error, not done', async () => {
    const model = trained('mobilenet_v1_025_224_tfhub');
    useTrainingStore.setState({ model });
    await fineTuneModel();
    const state = useTrainingStore.getState();
    expect(state.phase).toBe('error');
    expect(state.error?.message).toMatch(/^MobileNetV1 0\.25 \(TF-Hub\) cannot be fine-tuned: it is a graph model, with no layers to unfreeze/);
    expect(state.model).toBe(model);
    expect(engineFake.requests).toHaveLength(0);
  });

  it('when the engine fails, shows its message, keeps the model from before, and the state is error', async () => {
    const model = trained('mobilenet_v2_100_224');
    useTrainingStore.setState({ model });
    engineFake.fail = new Error('This backbone cannot be fine-tuned: none of its layers is in block 15');
    await fineTuneModel();
    const state = useTrainingStore.getState();
    expect(engineFake.requests).toHaveLength(1);
    expect(state.phase).toBe('error');
    expect(state.error).toEqual({ code: 'unknown', message: 'This backbone cannot be fine-tuned: none of its layers is in block 15' });
    expect(state.model).toBe(model);
  });

  it('sends the photos in content-hash order, so the same photos give the same request whatever the import order, and ends done', async () => {
    const requests: FineTuneRequest[] = [];
    for (const images of [IMAGES, [...IMAGES].reverse()]) {
      useProjectStore.setState({ images });
      useTrainingStore.setState({ model: trained('mobilenet_v2_100_224'), phase: 'done' });
      await fineTuneModel();
      expect(useTrainingStore.getState().phase).toBe('done');
      requests.push(engineFake.requests.at(-1) as FineTuneRequest);
    }
    const [a, b] = requests as [FineTuneRequest, FineTuneRequest];
    const hashes = async (r: FineTuneRequest) => Promise.all(r.jpegs.map((j) => j.text()));
    expect(await hashes(a)).toEqual(['0a', '19', '7d', 'c1', 'e0', 'f3']);
    expect(await hashes(b)).toEqual(await hashes(a));
    expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
    expect(b.trainIndices).toEqual(a.trainIndices);
    expect(b.validationIndices).toEqual(a.validationIndices);
    expect(a.settings.blocks).toBe(2);
  });

  it('when the fine-tuned model cannot be saved (full disk), says so: the state is error with save-failed, not done', async () => {
    useTrainingStore.setState({ model: trained('mobilenet_v2_100_224') });
    engineFake.saveFails = true;
    await fineTuneModel();
    const state = useTrainingStore.getState();
    expect(state.phase).toBe('error');
    expect(state.error?.code).toBe('save-failed');
    expect(state.error?.message).toContain('no storage space');
    expect(state.model?.fineTune).toBeTruthy();
  });

  it('notes the fine-tune in the work journal while it runs (a reload then says what was lost), and clears it however it ends', async () => {
    for (const fail of [null, new Error('boom')]) {
      journal.calls = [];
      engineFake.fail = fail;
      useTrainingStore.setState({ model: trained('mobilenet_v2_100_224'), phase: 'done' });
      await fineTuneModel();
      expect(journal.calls).toEqual(['start finetuning', 'end finetuning']);
    }
  });
});
