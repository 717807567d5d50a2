import { beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../lib/errors';
import { INITIAL_PROJECT_STATE, useProjectStore, type ImageInfo } from '../../store/project-store';
import { INITIAL_TRAINING_STATE, useTrainingStore } from '../../store/training-store';
import { restoreModel, train } from './train-actions';

// The engine is replaced by its contract (a head "trained" at once); the repo's putMeta fails as on a full disk when told.
vi.mock('../../engine/connection', () => ({
  engine: () =>
    Promise.resolve({
      train: async (request: { numClasses: number; validationIndices: number[] }) => ({
        history: [{ epoch: 1, loss: 0.5, accuracy: 0.5, valLoss: 0.5, valAccuracy: 0.5 }],
        bestEpoch: 1,
        stoppedEarly: false,
        stoppedByUser: false,
        validationProbabilities: new Float32Array(request.validationIndices.length * request.numClasses).fill(1 / request.numClasses),
        head: { dim: 1280, numClasses: request.numClasses, hiddenUnits: 0, dropout: 0, weights: [] },
        durationMs: 1,
      }),
      stopTraining: async () => undefined,
    }),
  selectBackbone: async () => undefined,
}));
vi.mock('./embed-missing', () => ({
  embedMissing: async (_id: string, hashes: string[]) => new Map(hashes.map((h) => [h, new Float32Array(1280).fill(h.charCodeAt(0) / 100)])),
}));
const disk = vi.hoisted(() => ({ full: false, writes: 0, unreadable: false }));
vi.mock('../dataset/project-repo', () => ({
  putMeta: async () => {
    disk.writes++;
    if (disk.full) throw new AppError('quota-exceeded', 'The browser has no storage space left for this project; the change was not saved');
  },
  getMeta: async () => {
    if (disk.unreadable) throw new Error('The stored value could not be read');
    return undefined;
  },
}));

const CLASS_IDS = ['c-a', 'c-b'];
const IMAGES: ImageInfo[] = ['f3', '0a', 'c1', '7d', '19', 'e0', 'aa', 'bb'].map((hash, i) => {
  const classId = CLASS_IDS[i % 2] as string;
  return { id: `${classId}:${hash}`, hash, classId, path: `${hash}.jpg`, name: `${hash}.jpg` };
});

beforeEach(() => {
  disk.full = false;
  disk.writes = 0;
  disk.unreadable = false;
  useTrainingStore.setState(INITIAL_TRAINING_STATE);
  useProjectStore.setState({
    ...INITIAL_PROJECT_STATE,
    classes: CLASS_IDS.map((id, order) => ({ id, name: id.slice(2), order })),
    images: IMAGES,
  });
});

describe('train: saving the model', () => {
  it('saves the trained model and ends done', async () => {
    await train();
    expect(useTrainingStore.getState().phase).toBe('done');
    expect(useTrainingStore.getState().error).toBeNull();
    expect(disk.writes).toBe(1);
  });

  it('on a full disk, retries, then says the model was not saved (training-state error), keeping it in use', async () => {
    disk.full = true;
    await train();
    const state = useTrainingStore.getState();
    expect(disk.writes).toBe(2);
    expect(state.phase).toBe('error');
    expect(state.error).toEqual({ code: 'save-failed', message: 'the browser has no storage space left' });
    expect(state.model?.classIds).toEqual(CLASS_IDS);
  });

  it('when the saved model cannot be read after a reload, says so and what to do instead of showing nothing', async () => {
    disk.unreadable = true;
    await restoreModel();
    const state = useTrainingStore.getState();
    expect(state.phase).toBe('error');
    expect(state.error?.message).toContain('could not be read (The stored value could not be read). Your classes and photos are kept: press Train');
    expect(state.model).toBeNull();
  });
});
