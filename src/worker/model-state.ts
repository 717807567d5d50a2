import * as tf from '@tensorflow/tfjs';
import type { BackboneId } from '../ml/backbones/catalog';
import { LayersBackbone } from '../ml/backbones/layers-backbone';
import type { LayersEmbedding } from '../ml/backbones/pair-backbone';
import type { Backbone } from '../ml/backbones/types';
import type { TfliteGraph } from '../ml/export/tflite/graph';
import type { ActivationRanges } from '../ml/export/tflite/quantize-full';
import { batchToTensor, rowsOf, type ImageBatch } from '../ml/image-batch';

/** A fine-tuned copy of a backbone's embedder, used instead of it while that backbone is selected. */
export interface TunedEmbedder {
  backboneId: BackboneId;
  embedder: tf.LayersModel;
  layers: Set<string>;
}

/** An opened image -> probabilities model, used instead of backbone + head while set. */
export interface OpenedModel {
  model: tf.LayersModel;
  range: [number, number];
}

/**
 * The models the engine trained or opened. Only changes replace them, and only inside
 * `ModelLock.swap` (the `install*`/`drop*` methods free the old ones), so a read that took them
 * under `ModelLock.read` keeps them alive across its awaits.
 */
export class ModelState {
  head: tf.LayersModel | null = null;
  tuned: TunedEmbedder | null = null;
  classifier: OpenedModel | null = null;
  /** The int8 TFLite graph of a head + embedder pair, built once per pair. */
  int8: { head: tf.LayersModel; embedder: tf.LayersModel; graph: TfliteGraph } | null = null;
  /** Activation ranges for the full-integer TFLite of a head + embedder pair (the float graph they were observed on), and its int8 graph once built. */
  calibration: { head: tf.LayersModel; embedder: tf.LayersModel; float: TfliteGraph; ranges: ActivationRanges; photos: number; full: TfliteGraph | null } | null = null;

  /** The trained head (throws when there is none). */
  get trainedHead(): tf.LayersModel {
    if (!this.head) throw new Error('No trained model yet: train one first');
    return this.head;
  }

  /** Replaces the head (freeing the old one). */
  installHead(head: tf.LayersModel | null): void {
    if (this.head !== head) this.head?.dispose();
    this.head = head;
    this.int8 = null;
    this.calibration = null;
  }

  /** Replaces the fine-tuned embedder (freeing the old one). */
  installTuned(tuned: TunedEmbedder | null): void {
    if (this.tuned?.embedder !== tuned?.embedder) this.tuned?.embedder.dispose();
    this.tuned = tuned;
    this.int8 = null;
    this.calibration = null;
  }

  /** Replaces the opened model (freeing the old one). */
  installClassifier(classifier: OpenedModel | null): void {
    if (this.classifier?.model !== classifier?.model) this.classifier?.model.dispose();
    this.classifier = classifier;
  }

  /** The image -> embedding model in use for a layers backbone: its fine-tuned copy when there is one. */
  embedderOf(backbone: Backbone & LayersEmbedding): tf.LayersModel {
    return this.tuned?.backboneId === backbone.spec.id ? this.tuned.embedder : backbone.embeddingModel;
  }

  /** Embeddings of a batch from `backbone`, or its fine-tuned copy when there is one (prediction, webcam). */
  async embed(backbone: Backbone, batch: ImageBatch): Promise<Float32Array[]> {
    const tuned = backbone instanceof LayersBackbone && this.tuned?.backboneId === backbone.spec.id ? this.tuned.embedder : null;
    if (!tuned) return backbone.embed(batch);
    const out = tf.tidy(() => tuned.predict(batchToTensor(batch, backbone.spec.inputRange)) as tf.Tensor);
    try {
      return rowsOf((await out.data()) as Float32Array, batch.count);
    } finally {
      out.dispose();
    }
  }
}
