import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../lib/errors';
import { batchToTensor, rowsOf, type ImageBatch } from '../image-batch';
import { topK } from '../imagenet';
import type { BackboneSpec } from './catalog';
import type { TfliteGraph } from '../export/tflite/graph';
import { FoldedEmbedder, foldedGraph } from './folded-embedder';
import { LiteRtEmbedder, loadLiteRtOnce } from './litert-embedder';
import type { Backbone, EmbedRuntime, ImagenetGuess, ModelSource } from './types';

export interface LayersBackboneOptions {
  /** false: embed with the layers model as loaded (tests, benchmarks). */
  fold?: boolean;
  /** Folder URL of LiteRT.js' wasm files: embed in LiteRT.js (falls back to tfjs if it cannot load). */
  liteRtUrl?: string;
  /** Threads LiteRT.js may use (> 1: its threaded build, where the context is cross-origin isolated). */
  liteRtThreads?: number;
}

/**
 * A Keras/tfjs layers model cut at its `embedding` layer (global average pool). `embed` runs a
 * lowered copy (BatchNorm folded, activations fused): in LiteRT.js when `liteRtUrl` is given
 * (`litert-embedder.ts`), else in tfjs (`folded-embedder.ts`); the layers model stays for
 * fine-tuning, export and the ImageNet head. `fold: false` embeds with the layers model.
 */
export class LayersBackbone implements Backbone {
  private full: tf.LayersModel | null = null;
  private embedder: tf.LayersModel | null = null;
  private folded: FoldedEmbedder | null = null;
  private liteRt: LiteRtEmbedder | null = null;

  constructor(
    readonly spec: BackboneSpec,
    private readonly source: ModelSource,
    private readonly options: LayersBackboneOptions = {},
  ) {}

  /** Whether `embed` runs a folded graph (false before `load`, with `fold: false`, or if lowering failed). */
  get isFolded(): boolean {
    return this.folded !== null || this.liteRt !== null;
  }

  /** What runs `embed` (after `load`). */
  get embedRuntime(): EmbedRuntime {
    return this.liteRt ? 'litert' : this.folded ? 'tfjs-folded' : 'tfjs-layers';
  }

  /** Threads `embed` runs on (after `load`): LiteRT.js' threaded build, else 1. */
  get embedThreads(): number {
    return this.liteRt?.threads ?? 1;
  }

  async load(): Promise<void> {
    if (this.embedder) return;
    try {
      const from = 'url' in this.source ? `${this.source.url}/model.json` : this.source.handler;
      this.full = await tf.loadLayersModel(from);
    } catch (error) {
      throw new AppError('model-load-failed', `Could not load ${this.spec.id}: ${(error as Error).message}`);
    }
    const full = this.full;
    this.embedder = tf.model({ inputs: full.inputs, outputs: full.getLayer(this.spec.embeddingLayer).output });
    if (this.options.fold !== false) {
      try {
        const graph = await foldedGraph(this.embedder);
        if (this.options.liteRtUrl) this.liteRt = await this.compileLiteRt(graph, this.options.liteRtUrl);
        if (!this.liteRt) this.folded = FoldedEmbedder.compile(graph);
      } catch (error) {
        console.warn(`${this.spec.id}: embedding with the unfolded layers model (${(error as Error).message})`);
      }
    }
    // Warm-up: compiles kernels (WebGL shaders, XNNPACK's packed weights) so the first real call is not slowed down.
    const size = this.spec.inputSize;
    if (this.liteRt) await this.liteRt.embed({ count: 1, size, pixels: new Uint8Array(size * size * 3) });
    tf.tidy(() => {
      const x = tf.zeros([1, size, size, 3]) as tf.Tensor4D;
      if (this.folded) this.folded.predict(x);
      else if (!this.liteRt) this.embedder?.predict(x);
    });
  }

  /** The graph in LiteRT.js, or null (with a warning) when LiteRT.js cannot load or compile it. */
  private async compileLiteRt(graph: TfliteGraph, url: string): Promise<LiteRtEmbedder | null> {
    try {
      const threads = await loadLiteRtOnce(url, this.options.liteRtThreads ?? 1);
      return await LiteRtEmbedder.compile(graph, this.spec.inputSize, this.spec.inputRange, threads);
    } catch (error) {
      console.warn(`${this.spec.id}: LiteRT.js unavailable, embedding in tfjs (${(error as Error).message})`);
      return null;
    }
  }

  /** The layers model from the image to its embedding (for fine-tuning and export). */
  get embeddingModel(): tf.LayersModel {
    if (!this.embedder) throw new Error(`${this.spec.id} is not loaded`);
    return this.embedder;
  }

  async embed(batch: ImageBatch): Promise<Float32Array[]> {
    const model = this.embeddingModel;
    if (this.liteRt) return this.liteRt.embed(batch);
    const folded = this.folded;
    const out = tf.tidy(() => {
      const x = batchToTensor(batch, this.spec.inputRange) as tf.Tensor4D;
      return folded ? folded.predict(x) : (model.predict(x) as tf.Tensor2D);
    });
    try {
      return rowsOf((await out.data()) as Float32Array, batch.count);
    } finally {
      out.dispose();
    }
  }

  async imagenetTopK(batch: ImageBatch, k: number): Promise<ImagenetGuess[][]> {
    if (this.spec.imagenetHead === 'none' || !this.full) return Array.from({ length: batch.count }, () => []);
    const full = this.full;
    const out = tf.tidy(() => {
      const probs = full.predict(batchToTensor(batch, this.spec.inputRange)) as tf.Tensor2D;
      // The 1001-way head puts "background" at index 0; drop it to match the 1000 Keras labels.
      return this.spec.imagenetHead === 'softmax-1001' ? probs.slice([0, 1], [-1, 1000]) : probs;
    });
    try {
      return rowsOf((await out.data()) as Float32Array, batch.count).map((row) => topK(row, k));
    } finally {
      out.dispose();
    }
  }

  dispose(): void {
    this.folded?.dispose();
    this.folded = null;
    this.liteRt?.dispose();
    this.liteRt = null;
    this.full?.dispose();
    this.full = null;
    this.embedder = null;
  }
}
