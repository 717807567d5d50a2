import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { INITIAL_ENGINE_STATE, useEngineStore } from '../../store/engine-store';
import { INITIAL_PROJECT_STATE, useProjectStore, type ImageInfo } from '../../store/project-store';
import { INITIAL_TRAINING_STATE, useTrainingStore } from '../../store/training-store';
import { adoptBackgroundEmbedding, stopBackgroundEmbedding, watchBackgroundEmbedding } from './background-embed';

// The engine's side is replaced: "embedding" one photo waits for the test to let it through, and
// the cache is a set of `${backbone}:${hash}` keys.
const fake = vi.hoisted(() => ({
  cached: new Set<string>(),
  calls: [] as { backboneId: string; hashes: string[] }[],
  waiting: [] as (() => void)[],
}));
vi.mock('./embed-missing', () => ({
  embedMissing: async (backboneId: string, hashes: string[], shouldStop: () => boolean) => {
    fake.calls.push({ backboneId, hashes });
    for (const h of hashes) {
      if (shouldStop()) return null;
      await new Promise<void>((resolve) => fake.waiting.push(resolve));
      fake.cached.add(`${backboneId}:${h}`);
    }
    return shouldStop() ? null : new Map();
  },
}));
vi.mock('../dataset/project-repo', () => ({
  missingEmbeddings: async (backboneId: string, hashes: string[]) => hashes.filter((h) => !fake.cached.has(`${backboneId}:${h}`)),
}));

const V2 = 'mobilenet_v2_100_224';
const V1 = 'mobilenet_v1_075_224';
const image = (hash: string): ImageInfo => ({ id: `c:${hash}`, hash, classId: 'c', path: `${hash}.jpg`, name: `${hash}.jpg` });
const cachedFor = (backboneId: string) => [...fake.cached].filter((k) => k.startsWith(`${backboneId}:`)).map((k) => k.slice(backboneId.length + 1));

/** Lets every photo waiting in the fake engine through, until none waits (debounce timers run too). */
async function drain(): Promise<void> {
  for (let i = 0; i < 50; i++) {
    await vi.advanceTimersByTimeAsync(400);
    const waiting = fake.waiting.splice(0);
    waiting.forEach((go) => go());
    if (waiting.length === 0 && i > 2) return;
  }
}
/** Lets `n` photos through, one at a time. */
async function step(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await vi.advanceTimersByTimeAsync(400);
    fake.waiting.shift()?.();
  }
  await vi.advanceTimersByTimeAsync(0);
}

let unwatch: () => void = () => undefined;
beforeEach(() => {
  vi.useFakeTimers();
  fake.cached.clear();
  fake.calls.length = 0;
  fake.waiting.length = 0;
  useTrainingStore.setState(INITIAL_TRAINING_STATE);
  useEngineStore.setState({ ...INITIAL_ENGINE_STATE, status: 'ready', backboneId: V2 });
  useProjectStore.setState({ ...INITIAL_PROJECT_STATE, classes: [{ id: 'c', name: 'c', order: 0 }], images: [] });
  unwatch = watchBackgroundEmbedding();
});
afterEach(async () => {
  await stopBackgroundEmbedding();
  unwatch();
  await drain();
  vi.useRealTimers();
});

describe('embedding ahead of Train', () => {
  it('embeds the photos an import added, only those not cached, and says it is working meanwhile', async () => {
    fake.cached.add(`${V2}:a`);
    useProjectStore.setState({ images: ['a', 'b', 'c'].map(image) });
    await vi.advanceTimersByTimeAsync(400);
    expect(useTrainingStore.getState().embeddingInBackground).toBe(true);
    await drain();
    expect(fake.calls).toEqual([{ backboneId: V2, hashes: ['b', 'c'] }]);
    expect(cachedFor(V2).sort()).toEqual(['a', 'b', 'c']);
    expect(useTrainingStore.getState().embeddingInBackground).toBe(false);
  });

  it('steps aside while an import runs and embeds the rest once it ends', async () => {
    useProjectStore.setState({ images: ['a', 'b', 'c', 'd'].map(image) });
    await step(2);
    useProjectStore.setState({ importing: { done: 0, total: 2 } });
    await drain();
    const before = cachedFor(V2).length;
    expect(before).toBeLessThan(4);
    useProjectStore.setState({ importing: null, images: ['a', 'b', 'c', 'd', 'e', 'f'].map(image) });
    await drain();
    expect(cachedFor(V2).sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it("stops when the person says so and waits for the next import", async () => {
    useProjectStore.setState({ images: ['a', 'b', 'c', 'd'].map(image) });
    await step(2);
    const stopped = stopBackgroundEmbedding();
    await drain();
    await stopped;
    const kept = cachedFor(V2).length;
    expect(kept).toBeLessThan(4);
    await drain();
    expect(cachedFor(V2).length).toBe(kept);
    useProjectStore.setState({ images: ['a', 'b', 'c', 'd', 'e'].map(image) });
    await drain();
    expect(cachedFor(V2).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('a backbone change cancels the job and embeds for the new backbone', async () => {
    useProjectStore.setState({ images: ['a', 'b', 'c'].map(image) });
    await step(1);
    useEngineStore.setState({ backboneId: V1, status: 'loading-backbone' });
    await drain();
    expect(cachedFor(V1)).toEqual([]);
    useEngineStore.setState({ status: 'ready' });
    await drain();
    expect(cachedFor(V1).sort()).toEqual(['a', 'b', 'c']);
    expect(cachedFor(V2).length).toBeLessThan(3);
  });

  it('stopping the watch (the tab hands the project over) cancels a running job', async () => {
    useProjectStore.setState({ images: ['a', 'b', 'c', 'd'].map(image) });
    await step(1);
    unwatch();
    await drain();
    expect(cachedFor(V2).length).toBeLessThan(4);
    expect(useTrainingStore.getState().embeddingInBackground).toBe(false);
  });

  it('Train adopts a running job: its busy phase does not cancel it, and its Stop stops it', async () => {
    useProjectStore.setState({ images: ['a', 'b', 'c', 'd'].map(image) });
    await step(1);
    let trainStop = false;
    let adopted = false;
    const ahead = adoptBackgroundEmbedding(V2, () => trainStop).then(() => (adopted = true));
    useTrainingStore.setState({ phase: 'embedding' });
    await step(1);
    expect(adopted).toBe(false);
    expect(cachedFor(V2).length).toBe(2);
    trainStop = true;
    await drain();
    await ahead;
    expect(adopted).toBe(true);
    expect(cachedFor(V2).length).toBeLessThan(4);
    // Nothing restarts while Train is busy.
    await drain();
    expect(fake.calls).toHaveLength(1);
  });
});
