import type * as tf from '@tensorflow/tfjs';
import type { ImageBatch } from '../image-batch';
import type { BackboneSpec } from './catalog';
import { joinEmbedders } from './pair-model';
import type { Backbone, EmbedRuntime, ImagenetGuess } from './types';

/** A backbone that also has a layers model from the image to its embedding (fine-tuning, exports). */
export interface LayersEmbedding {
  readonly embeddingModel: tf.LayersModel;
}

/** True when `backbone` has a layers model from the image to its embedding. */
export function hasEmbeddingModel(backbone: Backbone): backbone is Backbone & LayersEmbedding {
  // `in`, not a read: reading the pair's getter would build its joined model just to answer.
  return 'embeddingModel' in backbone;
}

/** Layer-name prefixes of the parts in the joined model (their layer names clash: both have `embedding`). */
const PREFIXES = ['a_', 'b_', 'c_'];

/**
 * The two-backbone setting (issue 20): every part embeds the same batch (decoded once) and the
 * rows are concatenated in the spec's order. The parts are loaded and owned by the caller
 * (BackboneService keeps them for when they are chosen alone); `embeddingModel` joins their layers
 * models into one flat Keras model (one image input, a Concatenate), built on first use for the
 * exports and freed by `dispose`.
 */
export class PairBackbone implements Backbone {
  private joined: tf.LayersModel | null = null;

  constructor(
    readonly spec: BackboneSpec,
    private readonly parts: readonly Backbone[],
  ) {
    const sizes = parts.reduce((n, p) => n + p.spec.embeddingSize, 0);
    if (sizes !== spec.embeddingSize) throw new Error(`${spec.id}: its parts give ${sizes} values, not ${spec.embeddingSize}`);
  }

  /** What runs the first part's `embed` (the parts load the same way). */
  get embedRuntime(): EmbedRuntime {
    return (this.parts[0] as Backbone).embedRuntime;
  }

  get embedThreads(): number {
    return Math.min(...this.parts.map((p) => p.embedThreads));
  }

  /** The parts are loaded by whoever made them. */
  async load(): Promise<void> {
    await Promise.all(this.parts.map((p) => p.load()));
  }

  async embed(batch: ImageBatch): Promise<Float32Array[]> {
    // One part after the other: each already uses every thread it has.
    const perPart: Float32Array[][] = [];
    for (const part of this.parts) perPart.push(await part.embed(batch));
    return Array.from({ length: batch.count }, (_, i) => {
      const row = new Float32Array(this.spec.embeddingSize);
      let at = 0;
      for (const rows of perPart) {
        const r = rows[i] as Float32Array;
        row.set(r, at);
        at += r.length;
      }
      return row;
    });
  }

  imagenetTopK(batch: ImageBatch, k: number): Promise<ImagenetGuess[][]> {
    return (this.parts[0] as Backbone).imagenetTopK(batch, k);
  }

  /** One layers model from the image to the concatenated embedding (built once). */
  get embeddingModel(): tf.LayersModel {
    if (!this.joined) {
      const parts = this.parts.map((p, i) => {
        if (!hasEmbeddingModel(p)) throw new Error(`${p.spec.label} is a graph model: it cannot be part of a joined model`);
        return { model: p.embeddingModel, prefix: PREFIXES[i] ?? `p${i}_` };
      });
      this.joined = joinEmbedders(parts, this.spec.id.replace(/[^a-z0-9_]/gi, '_'));
    }
    return this.joined;
  }

  /** Frees the joined model; the parts stay with their owner. */
  dispose(): void {
    this.joined?.dispose();
    this.joined = null;
  }
}
