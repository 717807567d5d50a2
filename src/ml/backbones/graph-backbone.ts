import * as tf from '@tensorflow/tfjs';
import * as mobilenet from '@tensorflow-models/mobilenet';
import { AppError } from '../../lib/errors';
import { rowsOf, type ImageBatch } from '../image-batch';
import { topK } from '../imagenet';
import type { BackboneSpec } from './catalog';
import type { Backbone, ImagenetGuess, ModelSource } from './types';

/** A TF-Hub MobileNetV1 graph model run through @tensorflow-models/mobilenet. */
export class GraphBackbone implements Backbone {
  readonly embedRuntime = 'tfjs-graph' as const;
  readonly embedThreads = 1;
  private net: mobilenet.MobileNet | null = null;

  constructor(
    readonly spec: BackboneSpec,
    private readonly source: ModelSource,
  ) {}

  async load(): Promise<void> {
    if (this.net) return;
    try {
      this.net = await mobilenet.load({
        version: 1,
        alpha: 0.25,
        modelUrl: 'url' in this.source ? `${this.source.url}/model.json` : this.source.handler,
        inputRange: this.spec.inputRange,
      });
    } catch (error) {
      throw new AppError('model-load-failed', `Could not load ${this.spec.id}: ${(error as Error).message}`);
    }
    const net = this.net;
    tf.tidy(() => {
      net.infer(tf.zeros([1, this.spec.inputSize, this.spec.inputSize, 3]), true);
    });
  }

  private get model(): mobilenet.MobileNet {
    if (!this.net) throw new Error(`${this.spec.id} is not loaded`);
    return this.net;
  }

  /** The raw [N, size, size, 3] pixel tensor: mobilenet.infer scales [0, 255] to inputRange itself. */
  private pixels(batch: ImageBatch): tf.Tensor4D {
    return tf.tensor4d(batch.pixels, [batch.count, batch.size, batch.size, 3], 'int32');
  }

  async embed(batch: ImageBatch): Promise<Float32Array[]> {
    const net = this.model;
    const out = tf.tidy(() => net.infer(this.pixels(batch), true).reshape([batch.count, this.spec.embeddingSize]));
    try {
      return rowsOf((await out.data()) as Float32Array, batch.count);
    } finally {
      out.dispose();
    }
  }

  async imagenetTopK(batch: ImageBatch, k: number): Promise<ImagenetGuess[][]> {
    const net = this.model;
    // infer(x, false) returns the 1000 logits after the background logit; softmax them.
    const out = tf.tidy(() => tf.softmax(net.infer(this.pixels(batch), false).reshape([batch.count, 1000])));
    try {
      return rowsOf((await out.data()) as Float32Array, batch.count).map((row) => topK(row, k));
    } finally {
      out.dispose();
    }
  }

  dispose(): void {
    // MobileNet's interface has no dispose; its graph model holds the weights.
    (this.net as unknown as { model?: tf.GraphModel } | null)?.model?.dispose();
    this.net = null;
  }
}
