import * as tf from '@tensorflow/tfjs';
import { toErrorInfo } from '../lib/errors';
import { initBackend, type BackendInfo } from '../ml/backend';
import { createBackbone } from '../ml/backbones/create-backbone';
import type { BackboneId } from '../ml/backbones/catalog';
import { LayersBackbone } from '../ml/backbones/layers-backbone';
import type { Backbone } from '../ml/backbones/types';
import { exportJoinedModel } from '../ml/export/joined-model';
import { classify, loadClassifier } from '../ml/export/load-classifier';
import { exportTflite, exportTfliteGraph } from '../ml/export/tflite/export-tflite';
import type { TfliteGraph } from '../ml/export/tflite/graph';
import { runTflite } from '../ml/export/tflite/reference-run';
import { cloneModel } from '../ml/finetune/split-model';
import { setWeightsByName, weightsOfLayers } from '../ml/finetune/tuned-weights';
import { headFromArtifact, headToArtifact } from '../ml/head/head-artifact';
import { predictHead, trainHead } from '../ml/head/train-head';
import { batchFromRgba, batchToTensor, rowsOf, type ImageBatch } from '../ml/image-batch';
import { sha256Hex } from '../lib/hash';
import { inspectImageFile } from '../platform/file-sniff';
import { decodeSquare } from '../platform/image-decode';
import { makeTrainingCopy } from '../platform/training-copy';
import { runFineTuneJob } from './finetune-job';
import type {
  EngineConfig,
  FineTuneOutcome,
  FineTuneProgress,
  FineTuneRequest,
  MlApi,
  ImportedFile,
  ModelFiles,
  OpenedClassifier,
  PredictionResult,
  PreparedImage,
  ProbeResult,
  TrainOutcome,
  TrainProgress,
  TrainRequest,
  TunedBackbone,
} from './ml-api';

/** The MlApi implementation; the same code runs in the worker and on the main thread. */
export class MlEngine implements MlApi {
  private config: EngineConfig | null = null;
  private readonly backbones = new Map<BackboneId, Backbone>();
  private readonly loading = new Map<BackboneId, Promise<Backbone>>();
  private current: Backbone | null = null;
  private wanted: BackboneId | null = null;
  private head: tf.LayersModel | null = null;
  private stopRequested = false;
  /** A fine-tuned copy of a backbone's embedder, used instead of it (with the head trained along) while selected. */
  private tuned: { backboneId: BackboneId; embedder: tf.LayersModel; layers: Set<string> } | null = null;
  /** An opened image -> probabilities model; when set, predictions use it instead of backbone + head. */
  private classifier: { model: tf.LayersModel; range: [number, number] } | null = null;
  /** The int8 TFLite graph of the current backbone + head, built once per pair. */
  private int8: { head: tf.LayersModel; embedder: tf.LayersModel; graph: TfliteGraph } | null = null;

  async init(config: EngineConfig): Promise<BackendInfo> {
    this.config = config;
    const info = await initBackend(config.backend, config.wasmBaseUrl);
    if (info.name === 'webgl') this.watchContextLoss();
    return info;
  }

  /**
   * A lost WebGL context leaves tfjs calls hanging; turn it into an uncaught error, which the
   * client sees as a dead engine and replaces (resuming from what was cached).
   */
  private watchContextLoss(): void {
    const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGL2RenderingContext } }).gpgpu?.gl;
    const canvas = gl?.canvas as (HTMLCanvasElement | OffscreenCanvas) | undefined;
    canvas?.addEventListener('webglcontextlost', () => {
      setTimeout(() => {
        throw new Error('The WebGL context was lost');
      });
    });
  }

  async useBackbone(id: BackboneId): Promise<{ loadMs: number }> {
    if (!this.config) throw new Error('Engine not initialised');
    const started = performance.now();
    this.wanted = id;
    const backbone = await this.loadBackbone(id);
    // A later call may have asked for another backbone while this one loaded.
    if (this.wanted === id) this.current = backbone;
    return { loadMs: performance.now() - started };
  }

  /** A backbone, loaded once. */
  private loadBackbone(id: BackboneId): Promise<Backbone> {
    const config = this.config;
    if (!config) return Promise.reject(new Error('Engine not initialised'));
    // Shared by concurrent callers (selecting a backbone while a fine-tuned one is reinstalled).
    let loading = this.loading.get(id);
    if (!loading) {
      const backbone = createBackbone(id, { url: `${config.modelBaseUrl}/${id}` });
      loading = backbone.load().then(() => {
        this.backbones.set(id, backbone);
        return backbone;
      });
      loading.catch(() => this.loading.delete(id));
      this.loading.set(id, loading);
    }
    return loading;
  }

  private get backbone(): Backbone {
    if (!this.current) throw new Error('No backbone selected');
    return this.current;
  }

  async probe(file: Blob, topK: number): Promise<ProbeResult> {
    const backbone = this.backbone;
    const size = backbone.spec.inputSize;
    const t0 = performance.now();
    const batch = batchFromRgba([await decodeSquare(file, size)], size);
    const t1 = performance.now();
    const [embedding] = await backbone.embed(batch);
    const t2 = performance.now();
    const [imagenet] = await backbone.imagenetTopK(batch, topK);
    if (!embedding) throw new Error('The backbone returned no embedding');
    return { embedding, decodeMs: t1 - t0, embedMs: t2 - t1, imagenet: imagenet ?? [] };
  }

  async prepareImage(file: Blob): Promise<PreparedImage> {
    const [hash, copy] = await Promise.all([sha256Hex(file), makeTrainingCopy(file)]);
    return { hash, width: copy.width, height: copy.height, jpeg: copy.jpeg };
  }

  async importFile(file: Blob, name: string): Promise<ImportedFile> {
    const check = await inspectImageFile(file, name);
    if (!check.ok) return check;
    return { ok: true, ...(await this.prepareImage(file)) };
  }

  async embedTrainingCopies(jpegs: Blob[]): Promise<Float32Array[]> {
    const backbone = this.backbone;
    const size = backbone.spec.inputSize;
    const rgba = await Promise.all(jpegs.map((j) => decodeSquare(j, size)));
    return backbone.embed(batchFromRgba(rgba, size));
  }

  async train(request: TrainRequest, onProgress: (p: TrainProgress) => void): Promise<TrainOutcome> {
    this.stopRequested = false;
    const started = performance.now();
    const result = await trainHead({
      ...request,
      onEpoch: (log) => onProgress({ kind: 'epoch', log }),
      onBatch: (epoch, fraction) => onProgress({ kind: 'batch', epoch, fraction }),
      shouldStop: () => this.stopRequested,
    });
    this.head?.dispose();
    this.head = result.model;
    this.dropTuned();
    this.dropClassifier();
    return {
      history: result.history,
      bestEpoch: result.bestEpoch,
      stoppedEarly: result.stoppedEarly,
      stoppedByUser: result.stoppedByUser,
      validationProbabilities: result.validationProbabilities,
      head: headToArtifact(result.model, request.settings),
      durationMs: performance.now() - started,
    };
  }

  async stopTraining(): Promise<void> {
    this.stopRequested = true;
  }

  async setHead(head: Parameters<MlApi['setHead']>[0]): Promise<void> {
    this.head?.dispose();
    this.head = head ? headFromArtifact(head) : null;
    this.dropTuned();
    this.dropClassifier();
  }

  async fineTune(request: FineTuneRequest, onProgress: (p: FineTuneProgress) => void): Promise<FineTuneOutcome> {
    this.stopRequested = false;
    const backbone = this.backbone;
    if (!(backbone instanceof LayersBackbone)) throw new Error(`${backbone.spec.label} is a graph model: it cannot be fine-tuned`);
    const previous = this.tuned?.backboneId === backbone.spec.id ? this.tuned : null;
    const job = await runFineTuneJob(backbone, previous?.embedder ?? backbone.embeddingModel, this.trainedHead, request, onProgress, () => this.stopRequested);
    const { result } = job;
    if (job.kept) {
      const layers = new Set([...(previous?.layers ?? []), ...result.trainableLayers]);
      this.dropTuned();
      this.tuned = { backboneId: backbone.spec.id, embedder: job.kept.embedder, layers };
      this.head?.dispose();
      this.head = job.kept.head;
    }
    return {
      history: result.history,
      before: result.before,
      after: result.after,
      bestTuned: result.bestTuned,
      bestEpoch: result.bestEpoch,
      improved: result.improved,
      stoppedEarly: result.stoppedEarly,
      stoppedByUser: result.stoppedByUser,
      validationProbabilities: result.validationProbabilities,
      estimate: result.estimate,
      head: headToArtifact(this.trainedHead, request.headSettings),
      backbone: this.tunedBackbone(),
      durationMs: result.durationMs,
    };
  }

  /** The fine-tuned backbone in use, as plain data. */
  private tunedBackbone(): TunedBackbone | null {
    if (!this.tuned) return null;
    const layers = [...this.tuned.layers];
    return { backboneId: this.tuned.backboneId, layers, weights: weightsOfLayers(this.tuned.embedder, layers) };
  }

  async setTunedBackbone(tuned: TunedBackbone | null): Promise<void> {
    this.dropTuned();
    if (!tuned) return;
    const backbone = await this.loadBackbone(tuned.backboneId);
    if (!(backbone instanceof LayersBackbone)) throw new Error(`${tuned.backboneId} cannot hold fine-tuned weights`);
    const embedder = await cloneModel(backbone.embeddingModel);
    try {
      setWeightsByName(embedder, tuned.weights);
    } catch (error) {
      embedder.dispose();
      throw error;
    }
    this.tuned = { backboneId: tuned.backboneId, embedder, layers: new Set(tuned.layers) };
  }

  private dropTuned(): void {
    this.tuned?.embedder.dispose();
    this.tuned = null;
  }

  /** Embeddings of a batch from the current backbone, or its fine-tuned copy when there is one. */
  private async embed(batch: ImageBatch): Promise<Float32Array[]> {
    const backbone = this.backbone;
    const tuned = this.tuned?.backboneId === backbone.spec.id ? this.tuned.embedder : null;
    if (!tuned) return backbone.embed(batch);
    const out = tf.tidy(() => tuned.predict(batchToTensor(batch, backbone.spec.inputRange)) as tf.Tensor);
    try {
      return rowsOf((await out.data()) as Float32Array, batch.count);
    } finally {
      out.dispose();
    }
  }

  private get trainedHead(): tf.LayersModel {
    if (!this.head) throw new Error('No trained model yet: train one first');
    return this.head;
  }

  async predictFiles(files: Blob[]): Promise<PredictionResult[]> {
    if (this.classifier) return this.classifierPredictFiles(files, this.classifier);
    const head = this.trainedHead;
    const backbone = this.backbone;
    const size = backbone.spec.inputSize;
    const decoded = await Promise.all(
      files.map((f) => decodeSquare(f, size).then((rgba) => ({ ok: true as const, rgba }), (e: unknown) => ({ ok: false as const, error: toErrorInfo(e) }))),
    );
    const good = decoded.flatMap((d) => (d.ok ? [d.rgba] : []));
    const rows = good.length ? await this.embed(batchFromRgba(good, size)) : [];
    const dim = backbone.spec.embeddingSize;
    const flat = new Float32Array(rows.length * dim);
    rows.forEach((r, i) => flat.set(r, i * dim));
    const probs = rows.length ? predictHead(head, flat, dim) : new Float32Array(0);
    const k = probs.length / Math.max(rows.length, 1);
    let next = 0;
    return decoded.map((d) => {
      if (!d.ok) return { ok: false, error: d.error };
      const i = next++;
      return { ok: true, probabilities: probs.slice(i * k, (i + 1) * k) };
    });
  }

  async predictRgba(rgba: Uint8ClampedArray): Promise<Float32Array> {
    if (this.classifier) return classify(this.classifier.model, batchFromRgba([rgba], 224), this.classifier.range);
    const head = this.trainedHead;
    const backbone = this.backbone;
    const [row] = await this.embed(batchFromRgba([rgba], backbone.spec.inputSize));
    if (!row) throw new Error('The backbone returned no embedding');
    return predictHead(head, row, row.length);
  }

  async exportModel(): Promise<ModelFiles> {
    const backbone = this.backbone;
    return exportJoinedModel(backbone instanceof LayersBackbone ? this.embedderOf(backbone) : null, this.trainedHead);
  }

  /** The image -> embedding model in use for a layers backbone: its fine-tuned copy when there is one. */
  private embedderOf(backbone: LayersBackbone): tf.LayersModel {
    return this.tuned?.backboneId === backbone.spec.id ? this.tuned.embedder : backbone.embeddingModel;
  }

  async exportTflite(labels: string[], options: { int8Weights?: boolean } = {}): Promise<Uint8Array> {
    if (this.classifier) return exportTflite(this.classifier.model, null, labels, 'an opened model', this.classifier.range, options);
    const backbone = this.layersBackbone;
    return exportTflite(this.embedderOf(backbone), this.trainedHead, labels, `${backbone.spec.id} + dense head`, backbone.spec.inputRange, options);
  }

  async predictTfliteInt8(jpegs: Blob[]): Promise<Float32Array> {
    if (this.classifier) throw new Error('The int8 check is for the model trained here, not an opened one.');
    const backbone = this.layersBackbone;
    const head = this.trainedHead;
    const embedder = this.embedderOf(backbone);
    if (this.int8?.head !== head || this.int8.embedder !== embedder) {
      const numClasses = (head.outputs[0]?.shape[1] as number | undefined) ?? 0;
      const labels = Array.from({ length: numClasses }, (_, i) => String(i));
      const graph = await exportTfliteGraph(embedder, head, labels, backbone.spec.id, backbone.spec.inputRange, { int8Weights: true });
      this.int8 = { head, embedder, graph };
    }
    const graph = this.int8.graph;
    const size = backbone.spec.inputSize;
    const rgba = await Promise.all(jpegs.map((j) => decodeSquare(j, size)));
    const x = batchToTensor(batchFromRgba(rgba, size), backbone.spec.inputRange);
    try {
      return runTflite(graph, (await x.data()) as Float32Array, jpegs.length);
    } finally {
      x.dispose();
    }
  }

  private get layersBackbone(): LayersBackbone {
    const backbone = this.backbone;
    if (!(backbone instanceof LayersBackbone)) throw new Error(`${backbone.spec.label} is a graph model: TensorFlow Lite export needs one of the layers backbones.`);
    return backbone;
  }

  async tensorCount(): Promise<number> {
    return tf.memory().numTensors;
  }

  async simulateFault(kind: 'lose-context' | 'crash'): Promise<void> {
    if (kind === 'crash') {
      // An uncaught error reaches the Worker's 'error' event, as a real crash would.
      setTimeout(() => {
        throw new Error('Simulated worker crash');
      });
      return;
    }
    const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGL2RenderingContext } }).gpgpu?.gl;
    gl?.getExtension('WEBGL_lose_context')?.loseContext();
  }

  async useClassifier(files: ModelFiles, inputRange: [number, number], classCount: number | null): Promise<OpenedClassifier> {
    const loaded = await loadClassifier(files.modelJson, files.weights, classCount);
    this.dropClassifier();
    this.classifier = { model: loaded.model, range: inputRange };
    return { numClasses: loaded.numClasses, params: loaded.params };
  }

  private dropClassifier(): void {
    this.classifier?.model.dispose();
    this.classifier = null;
  }

  private async classifierPredictFiles(files: Blob[], classifier: { model: tf.LayersModel; range: [number, number] }): Promise<PredictionResult[]> {
    const decoded = await Promise.all(
      files.map((f) => decodeSquare(f, 224).then((rgba) => ({ ok: true as const, rgba }), (e: unknown) => ({ ok: false as const, error: toErrorInfo(e) }))),
    );
    const good = decoded.flatMap((d) => (d.ok ? [d.rgba] : []));
    const probs = good.length ? await classify(classifier.model, batchFromRgba(good, 224), classifier.range) : new Float32Array(0);
    const k = probs.length / Math.max(good.length, 1);
    let next = 0;
    return decoded.map((d) => {
      if (!d.ok) return { ok: false, error: d.error };
      const i = next++;
      return { ok: true, probabilities: probs.slice(i * k, (i + 1) * k) };
    });
  }
}
