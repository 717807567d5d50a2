import { exportJoinedModel } from '../ml/export/joined-model';
import { toOnnx } from '../ml/export/onnx/to-onnx';
import { exportTflite, exportTfliteGraph } from '../ml/export/tflite/export-tflite';
import { runTflite } from '../ml/export/tflite/reference-run';
import { LayersBackbone } from '../ml/backbones/layers-backbone';
import { batchFromRgba, batchToTensor } from '../ml/image-batch';
import { decodeSquare } from '../platform/image-decode';
import type { BackboneService } from './backbone-service';
import type { ModelLock } from './model-lock';
import type { ModelState } from './model-state';
import type { ModelFiles } from './ml-api';

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
      return exportJoinedModel(backbone instanceof LayersBackbone ? this.models.embedderOf(backbone) : null, this.models.trainedHead);
    });
  }

  exportTflite(labels: string[], options: { int8Weights?: boolean } = {}): Promise<Uint8Array> {
    return this.lock.read(async () => {
      const opened = this.models.classifier;
      if (opened) return exportTflite(opened.model, null, labels, 'an opened model', opened.range, options);
      const backbone = this.backbones.layers;
      return exportTflite(this.models.embedderOf(backbone), this.models.trainedHead, labels, `${backbone.spec.id} + dense head`, backbone.spec.inputRange, options);
    });
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

  predictTfliteInt8(jpegs: Blob[]): Promise<Float32Array> {
    return this.lock.read(async () => {
      if (this.models.classifier) throw new Error('The int8 check is for the model trained here, not an opened one.');
      const backbone = this.backbones.layers;
      const head = this.models.trainedHead;
      const embedder = this.models.embedderOf(backbone);
      let cached = this.models.int8;
      if (cached?.head !== head || cached.embedder !== embedder) {
        const numClasses = (head.outputs[0]?.shape[1] as number | undefined) ?? 0;
        const labels = Array.from({ length: numClasses }, (_, i) => String(i));
        const graph = await exportTfliteGraph(embedder, head, labels, backbone.spec.id, backbone.spec.inputRange, { int8Weights: true });
        cached = { head, embedder, graph };
        this.models.int8 = cached;
      }
      const size = backbone.spec.inputSize;
      const rgba = await Promise.all(jpegs.map((j) => decodeSquare(j, size, 'checked'))); // training copies
      const x = batchToTensor(batchFromRgba(rgba, size), backbone.spec.inputRange);
      try {
        return runTflite(cached.graph, (await x.data()) as Float32Array, jpegs.length);
      } finally {
        x.dispose();
      }
    });
  }
}
