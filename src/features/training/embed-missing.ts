import { engine, engineGeneration, restartEngine } from '../../engine/connection';
import { closeEmbedHelper, helperWanted, startEmbedHelper } from '../../engine/embed-helper';
import { AppError, toErrorInfo } from '../../lib/errors';
import { throttleTrailing } from '../../lib/every';
import { getBackboneSpec, type BackboneId } from '../../ml/backbones/catalog';
import { useTrainingStore } from '../../store/training-store';
import * as repo from '../dataset/project-repo';

/**
 * Shortest time between two progress updates (the last one always shows): each is a repaint, which
 * without a GPU costs tens of milliseconds of a core the embedding needs.
 */
const PROGRESS_MS = 500;
/** Target wall time of one embedding batch: short enough for Stop to act within a second. */
const TARGET_BATCH_MS = 700;
const MAX_BATCH = 32;

/**
 * Embeds every hash that has no cached embedding for `backboneId`, in adaptive batches with two
 * requests in flight (decoding of one overlaps inference of the other), caching each batch in
 * IndexedDB. Returns all embeddings, or null when stopped (finished batches stay cached).
 */
export async function embedMissing(
  backboneId: BackboneId,
  hashes: readonly string[],
  shouldStop: () => boolean,
): Promise<Map<string, Float32Array> | null> {
  const set = useTrainingStore.setState;
  const all = await repo.getEmbeddings(backboneId, hashes);
  const missing = hashes.filter((h) => !all.has(h));
  const total = hashes.length;
  let done = total - missing.length;
  let engines = 1;
  set({ embedding: { done, total, imagesPerSecond: null, secondsLeft: null, engines } });
  if (missing.length === 0) return all;

  const embeddingSize = getBackboneSpec(backboneId).embeddingSize;
  const started = performance.now();
  let embeddedNow = 0;
  let batchSize = 4;
  let perImageMs: number | null = null;
  let cursor = 0;
  let rate: number | null = null;
  // A throttled update still lands at the end of its interval: the next batch may be slow, or held.
  const progress = throttleTrailing(PROGRESS_MS, () =>
    set({ embedding: { done, total, imagesPerSecond: rate, secondsLeft: rate ? (total - done) / rate : null, engines } }),
  );

  type Embed = (blobs: Blob[]) => Promise<Float32Array[]>;
  const onMainEngine: Embed = (blobs) => embedWithRecovery(blobs, perImageMs, backboneId);

  const runBatch = async (batch: string[], embed: Embed) => {
    const t0 = performance.now();
    const blobs = await repo.getPixelsMany(batch);
    const present = batch.filter((_, i) => blobs[i]);
    const rows = await embed(blobs.filter((b): b is Blob => !!b));
    const fresh = new Map<string, Float32Array>();
    present.forEach((h, i) => {
      const row = rows[i];
      // Never cache a vector of another size under this backbone's key (another backbone made it).
      if (row && row.length !== embeddingSize) throw new AppError('backbone-changed', `An embedding for ${backboneId} had ${row.length} values instead of ${embeddingSize}`);
      if (row) fresh.set(h, row);
    });
    await repo.putEmbeddings(backboneId, fresh);
    fresh.forEach((v, k) => all.set(k, v));
    const ms = performance.now() - t0;
    // Adapt the batch to the measured speed (two batches run at once, so aim at twice the target).
    const perImage = ms / batch.length;
    perImageMs = perImage;
    batchSize = powerOfTwoAtMost(Math.max(1, Math.min(MAX_BATCH, Math.round((2 * TARGET_BATCH_MS) / perImage))));
    done += batch.length;
    embeddedNow += batch.length;
    rate = embeddedNow / ((performance.now() - started) / 1000);
    if (done < total) progress.request();
    else progress.now();
  };

  const lane = async (embed: Embed, go: () => boolean = () => true) => {
    while (cursor < missing.length && !shouldStop() && go()) {
      // The tail is cut into power-of-two pieces too: every batch shape is one WebGL compiles anyway.
      const batch = missing.slice(cursor, cursor + powerOfTwoAtMost(Math.min(batchSize, missing.length - cursor)));
      cursor += batch.length;
      await runBatch(batch, embed);
    }
  };
  // Two lanes per engine: the decode of one batch overlaps the inference of the other.
  const helper = helperWanted(missing.length, backboneId) ? helperLanes(backboneId, (embed, go) => ((engines = 2), lane(embed, go)), onMainEngine) : null;
  try {
    await Promise.all([lane(onMainEngine), lane(onMainEngine)]);
    // Batches the second engine took must finish; one still starting is not waited for.
    if (helper?.working()) await helper.done;
  } finally {
    helper?.abandon();
    closeEmbedHelper();
    // Where the job stopped (or failed), not the last throttled figure.
    progress.now();
  }
  return shouldStop() ? null : all;
}

/**
 * Two more lanes on the second engine once it has started (embed-helper.ts). A batch that fails
 * there is done on the main engine and the second engine is dropped for the rest of the job.
 */
function helperLanes(
  backboneId: BackboneId,
  lane: (embed: (blobs: Blob[]) => Promise<Float32Array[]>, go: () => boolean) => Promise<void>,
  fallback: (blobs: Blob[]) => Promise<Float32Array[]>,
): { done: Promise<void>; working: () => boolean; abandon: () => void } {
  let failed = false;
  let abandoned = false;
  let working = false;
  const embed = async (blobs: Blob[], api: { embedTrainingCopies(b: Blob[], id: BackboneId): Promise<Float32Array[]> }) => {
    if (failed) return fallback(blobs);
    try {
      return await withTimeout(api.embedTrainingCopies(blobs, backboneId), FIRST_BATCH_LIMIT_MS);
    } catch {
      failed = true;
      closeEmbedHelper();
      return fallback(blobs);
    }
  };
  const done = (async () => {
    const helper = await startEmbedHelper(backboneId);
    if (!helper || abandoned) return;
    working = true;
    const go = () => !failed && !abandoned;
    await Promise.all([lane((b) => embed(b, helper.api), go), lane((b) => embed(b, helper.api), go)]);
  })();
  return {
    done,
    working: () => working,
    abandon: () => {
      abandoned = true;
    },
  };
}

/**
 * Batch sizes are powers of two: on WebGL each new input shape compiles its own shaders (seconds
 * on a software renderer), so a few fixed shapes beat a batch size that follows every measurement.
 */
export function powerOfTwoAtMost(n: number): number {
  return 2 ** Math.floor(Math.log2(Math.max(1, n)));
}

/** A batch that takes this many times longer than expected is taken for a hung engine. */
const HANG_FACTOR = 20;
const FIRST_BATCH_LIMIT_MS = 120_000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError('worker-failed', `No answer from the engine in ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Embeds one batch; if the engine fails (crashed worker, lost WebGL context) or hangs, replaces it
 * with a fresh one and tries the batch once more. Finished batches are already cached, so the
 * work resumes where it stopped.
 */
async function embedWithRecovery(blobs: Blob[], perImageMs: number | null, backboneId: BackboneId): Promise<Float32Array[]> {
  const limit = perImageMs === null ? FIRST_BATCH_LIMIT_MS : Math.max(30_000, HANG_FACTOR * perImageMs * blobs.length);
  const generation = engineGeneration();
  try {
    return await withTimeout((await engine()).embedTrainingCopies(blobs, backboneId), limit);
  } catch (error) {
    // Another backbone is loaded: a restart would not help, and its vectors must not be kept.
    if (toErrorInfo(error).code === 'backbone-changed') throw error;
    const api = await restartEngine(`embedding failed (${(error as Error).message}); resumed on a fresh engine`, generation);
    return withTimeout(api.embedTrainingCopies(blobs, backboneId), FIRST_BATCH_LIMIT_MS);
  }
}
