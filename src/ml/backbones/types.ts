import type { ImageBatch } from '../image-batch';
import type { BackboneSpec } from './catalog';

/** One ImageNet guess of the pretrained network; `probability` in [0, 1]. */
export interface ImagenetGuess {
  label: string;
  probability: number;
}

/** Where a backbone's files come from: a base URL (browser) or an IO handler (Node tests). */
export type ModelSource = { url: string } | { handler: import('@tensorflow/tfjs').io.IOHandler };

/** What runs `embed`: LiteRT.js, tfjs on the folded graph, the tfjs layers model, or a tfjs graph model. */
export type EmbedRuntime = 'litert' | 'tfjs-folded' | 'tfjs-layers' | 'tfjs-graph';

/**
 * A frozen pretrained feature extractor. Create with `createBackbone`, call `load()` once,
 * then `embed` batches; `dispose()` frees its weights.
 */
export interface Backbone {
  readonly spec: BackboneSpec;
  /** What runs `embed` (meaningful after `load`). */
  readonly embedRuntime: EmbedRuntime;
  /** Threads `embed` runs on (after `load`; 1 unless LiteRT.js' threaded build runs it). */
  readonly embedThreads: number;
  /** Downloads and initialises the weights; resolves once `embed` can run. */
  load(): Promise<void>;
  /** One embedding row (length `spec.embeddingSize`) per image of the batch. */
  embed(batch: ImageBatch): Promise<Float32Array[]>;
  /** Top-k ImageNet labels per image; empty lists when the backbone has no ImageNet head. */
  imagenetTopK(batch: ImageBatch, k: number): Promise<ImagenetGuess[][]>;
  dispose(): void;
}
