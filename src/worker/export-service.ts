import { exportJoinedModel } from '../ml/export/joined-model';
import { toOnnx } from '../ml/export/onnx/to-onnx';
import { exportTflite, exportTfliteGraph } from '../ml/export/tflite/export-tflite';
import { calibrate, quantizeFull } from '../ml/export/tflite/quantize-full';
import { runTflite } from '../ml/export/tflite/reference-run';
import { hasEmbeddingModel } from '../ml/backbones/pair-backbone';
import { batchFromRgba, batchToTensor, type ImageBatch } from '../ml/image-batch';
import { decodeSquare } from '../platform/image-decode';
import type { BackboneService } from './backbone-service';
import type { ModelLock } from './model-lock';
import type { ModelState } from './model-state';
import type { ModelFiles } from './ml-api';
import type * as tf from '@tensorflow/tfjs';
import type { TfliteGraph } from '../ml/export/tflite/graph';

/** Which TFLite file: float32, int8 weights, or full integer (calibrated first). */
export interface TfliteKind {
  int8Weights?: boolean;
  fullInt8?: boolean;
}

/** Exports (joined layers model, TFLite) and the int8 check; each holds the models while it reads them. */
export class ExportService {
  constructor(
    private readonly lock: ModelLock,
    private readonly backbones: BackboneService,
    private readonly models: ModelState,
  ) {}

  exportModel(): Promise<ModelFiles> {
    return this.lock.read(async () => {
      const backbone = this.backbones.current;
      return exportJoinedModel(hasEmbeddingModel(backbone) ? this.models.embedderOf(backbone) : null, this.models.trainedHead);
    });
  }

  exportTflite(labels: string[], options: TfliteKind = {}): Promise<Uint8Array> {
    return this.lock.read(async () => {
      const opened = this.models.classifier;
      if (opened && options.fullInt8) throw new Error('The full-integer TFLite is for the model trained here, not an opened one.');
      if (opened) return exportTflite(opened.model, null, labels, 'an opened model', opened.range, { int8Weights: options.int8Weights ?? false });
      const backbone = this.backbones.layers;
      const embedder = this.models.embedderOf(backbone);
      const head = this.models.trainedHead;
      const calibration = options.fullInt8 ? this.calibrationOf(embedder, head) : null;
      const fullInt8 = calibration ? { ranges: calibration.ranges, photos: calibration.photos } : undefined;
      return exportTflite(embedder, head, labels, `${backbone.spec.id} + dense head`, backbone.spec.inputRange, { int8Weights: options.int8Weights ?? false, ...(fullInt8 ? { fullInt8 } : {}) });
    });
  }

  /** The calibration of this pair (throws when there is none: calibrateFullInt8 first). */
  private calibrationOf(embedder: tf.LayersModel, head: tf.LayersModel): NonNullable<ModelState['calibration']> {
    const c = this.models.calibration;
    if (!c || c.head !== head || c.embedder !== embedder || c.photos === 0) throw new Error('The full-integer TFLite needs calibrating on training photos first.');
    return c;
  }

  /** How many photos the current model's full-integer calibration saw (0: none yet, or the model changed). */
  fullInt8Calibration(): Promise<number> {
    return this.lock.read(async () => {
      const c = this.models.calibration;
      if (this.models.classifier || !this.models.head || !c) return 0;
      return c.head === this.models.head && c.embedder === this.models.embedderOf(this.backbones.layers) ? c.photos : 0;
    });
  }

  /**
   * Widens the full-integer calibration ranges with these training copies (run through the float
   * graph); `restart` starts a new calibration. Returns how many photos it has seen.
   */
  calibrateFullInt8(jpegs: Blob[], restart: boolean): Promise<number> {
    return this.lock.read(async () => {
      if (this.models.classifier) throw new Error('The full-integer TFLite is for the model trained here, not an opened one.');
      const backbone = this.backbones.layers;
      const head = this.models.trainedHead;
      const embedder = this.models.embedderOf(backbone);
      let c = this.models.calibration;
      if (restart || c?.head !== head || c.embedder !== embedder) {
        const float = await exportTfliteGraph(embedder, head, numericLabels(head), backbone.spec.id, backbone.spec.inputRange);
        c = { head, embedder, float, ranges: new Map(), photos: 0, full: null };
        this.models.calibration = c;
      }
      const x = batchToTensor(await this.trainingCopies(jpegs), this.backbones.layers.spec.inputRange);
      try {
        calibrate(c.float, (await x.data()) as Float32Array, jpegs.length, c.ranges);
      } finally {
        x.dispose();
      }
      c.photos += jpegs.length;
      c.full = null;
      return c.photos;
    });
  }

  /** The stored 224x224 training copies (JPEG) as one RGB byte batch. */
  private async trainingCopies(jpegs: Blob[]): Promise<ImageBatch> {
    const size = this.backbones.layers.spec.inputSize;
    const rgba = await Promise.all(jpegs.map((j) => decodeSquare(j, size, 'checked')));
    return batchFromRgba(rgba, size);
  }

  exportOnnx(labels: string[]): Promise<Uint8Array> {
    return this.lock.read(async () => {
      const opened = this.models.classifier;
      const backbone = opened ? null : this.backbones.layers;
      const range = opened ? opened.range : (backbone?.spec.inputRange ?? [-1, 1]);
      const name = backbone ? `${backbone.spec.id} + dense head` : 'an opened model';
      const graph = opened
        ? await exportTfliteGraph(opened.model, null, labels, name, range)
        : await exportTfliteGraph(this.models.embedderOf(this.backbones.layers), this.models.trainedHead, labels, name, range);
      return toOnnx({
        graph,
        labels,
        metadata: { input_range: JSON.stringify(range), input_layout: 'NHWC', backbone: backbone?.spec.id ?? 'opened model' },
        producerVersion: (import.meta as { env?: { VITE_APP_VERSION?: string } }).env?.VITE_APP_VERSION ?? 'dev',
      });
    });
  }

  predictTfliteInt8(jpegs: Blob[], kind: 'weights' | 'full' = 'weights'): Promise<Float32Array> {
    return this.lock.read(async () => {
      if (this.models.classifier) throw new Error('The int8 check is for the model trained here, not an opened one.');
      const backbone = this.backbones.layers;
      const head = this.models.trainedHead;
      const embedder = this.models.embedderOf(backbone);
      let graph: TfliteGraph;
      if (kind === 'full') {
        const c = this.calibrationOf(embedder, head);
        c.full ??= quantizeFull(c.float, c.ranges, backbone.spec.inputRange);
        graph = c.full;
      } else {
        let cached = this.models.int8;
        if (cached?.head !== head || cached.embedder !== embedder) {
          const built = await exportTfliteGraph(embedder, head, numericLabels(head), backbone.spec.id, backbone.spec.inputRange, { int8Weights: true });
          cached = { head, embedder, graph: built };
          this.models.int8 = cached;
        }
        graph = cached.graph;
      }
      const batch = await this.trainingCopies(jpegs);
      if (kind === 'full') return runTflite(graph, Float32Array.from(batch.pixels), jpegs.length); // uint8 pixels as they are
      const x = batchToTensor(batch, backbone.spec.inputRange);
      try {
        return runTflite(graph, (await x.data()) as Float32Array, jpegs.length);
      } finally {
        x.dispose();
      }
    });
  }
}

/** Labels "0".."n-1" for graphs that are only run here (their metadata is never read). */
function numericLabels(head: tf.LayersModel): string[] {
  const n = (head.outputs[0]?.shape[1] as number | undefined) ?? 0;
  return Array.from({ length: n }, (_, i) => String(i));
}
