import type * as tf from '@tensorflow/tfjs';
import { LayersBackbone } from '../ml/backbones/layers-backbone';
import type { Backbone } from '../ml/backbones/types';
import { blockLayout } from '../ml/finetune/blocks';
import { fineTune, type FineTuneResult } from '../ml/finetune/finetune';
import { cloneModel } from '../ml/finetune/split-model';
import { ensureGradientKernels } from '../ml/finetune/wasm-gradients';
import { headFromArtifact, headToArtifact } from '../ml/head/head-artifact';
import { batchFromRgba, type ImageBatch } from '../ml/image-batch';
import { decodeSquare } from '../platform/image-decode';
import type { FineTuneProgress, FineTuneRequest } from './ml-api';
import { BATCH_PROGRESS_MS } from './ml-api';
import { atMostEvery } from '../lib/every';

/** A fine-tune's result and, when it helped, the new embedder and head (the caller owns them). */
export interface FineTuneJob {
  result: FineTuneResult;
  kept: { embedder: tf.LayersModel; head: tf.LayersModel } | null;
}

/**
 * Fine-tunes copies of `embedder` (the backbone's, or its current fine-tuned copy) and `head` on
 * the request's training copies, decoded batch by batch with the app's preprocessing. The copies
 * are returned when fine-tuning validated better, and disposed otherwise; the originals are never changed.
 */
export async function runFineTuneJob(
  backbone: Backbone,
  embedder: tf.LayersModel,
  head: tf.LayersModel,
  request: FineTuneRequest,
  onProgress: (p: FineTuneProgress) => void,
  shouldStop: () => boolean,
  afterEpoch?: (epoch: number) => Promise<void>,
): Promise<FineTuneJob> {
  const layout = blockLayout(backbone.spec.id);
  if (!(backbone instanceof LayersBackbone) || !layout) throw new Error(`${backbone.spec.label} is a graph model: it cannot be fine-tuned`);
  await ensureGradientKernels();
  const tunedEmbedder = await cloneModel(embedder);
  const tunedHead = headFromArtifact(headToArtifact(head, request.headSettings));
  const size = backbone.spec.inputSize;
  const { jpegs } = request;
  const images = {
    load: async (indices: readonly number[]): Promise<ImageBatch> =>
      batchFromRgba(await Promise.all(indices.map((i) => decodeSquare(jpegs[i] as Blob, size, 'checked'))), size),
  };
  let keep = false;
  try {
    const result = await fineTune({
      embedder: tunedEmbedder,
      head: tunedHead,
      layout,
      inputRange: backbone.spec.inputRange,
      images,
      labels: request.labels,
      numClasses: request.numClasses,
      trainIndices: request.trainIndices,
      validationIndices: request.validationIndices,
      settings: request.settings,
      headSettings: request.headSettings,
      onEstimate: (estimate) => onProgress({ kind: 'estimate', estimate }),
      onEpoch: (log) => onProgress({ kind: 'epoch', log }),
      onBatch: atMostEvery(BATCH_PROGRESS_MS, (epoch: number, fraction: number) => onProgress({ kind: 'batch', epoch, fraction }), (_, fraction) => fraction === 1),
      shouldStop,
      afterEpoch,
    });
    keep = result.improved;
    return { result, kept: keep ? { embedder: tunedEmbedder, head: tunedHead } : null };
  } finally {
    if (!keep) {
      tunedEmbedder.dispose();
      tunedHead.dispose();
    }
  }
}
