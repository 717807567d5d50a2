import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendInfo } from '../ml/backend';
import { createBackbone } from '../ml/backbones/create-backbone';
import type { BackboneId, SingleBackboneId } from '../ml/backbones/catalog';
import type { Backbone } from '../ml/backbones/types';
import { BackboneService, type BackboneFactory } from './backbone-service';
import { DebugGates, type GatePoint } from './debug-gates';
import { ExportService } from './export-service';
import { ModelLock } from './model-lock';
import { ModelState } from './model-state';
import { PredictService } from './predict-service';
import { TrainingService } from './training-service';
import type { BackboneLoaded, EngineConfig, FaultKind, MlApi } from './ml-api';

/**
 * The MlApi implementation; the same code runs in the worker and on the main thread. A thin
 * front over four services that share one ModelLock: backbones (load, select), training (head,
 * fine-tune, stored or opened models: the changes), predictions (the reads) and exports.
 */
export class MlEngine implements MlApi {
  private config: EngineConfig | null = null;
  private readonly lock = new ModelLock();
  private readonly models = new ModelState();
  private readonly gates = new DebugGates();
  private readonly backbones: BackboneService;
  private readonly training: TrainingService;
  private readonly predictions: PredictService;
  private readonly exports: ExportService;

  /**
   * `factory` replaces the real backbones (unit tests); `exit` ends the worker without an error
   * event (given by ml.worker.ts; on the main thread there is nothing to end).
   */
  constructor(factory?: BackboneFactory, private readonly exit: () => void = () => undefined) {
    this.backbones = new BackboneService(factory ?? ((id) => this.createBackbone(id)));
    this.training = new TrainingService(this.lock, this.backbones, this.models, this.gates);
    this.predictions = new PredictService(this.lock, this.backbones, this.models, this.gates);
    this.exports = new ExportService(this.lock, this.backbones, this.models);
  }

  /** The real backbones: in LiteRT.js on the wasm backend (unless the config says tfjs), else tfjs. */
  private createBackbone(id: SingleBackboneId): Backbone {
    const config = this.requireConfig();
    const liteRt = config.embedRuntime === 'auto' && tf.getBackend() === 'wasm';
    return createBackbone(id, { url: `${config.modelBaseUrl}/${id}` }, { liteRtUrl: liteRt ? config.liteRtBaseUrl : undefined, liteRtThreads: config.embedThreads });
  }

  private requireConfig(): EngineConfig {
    if (!this.config) throw new Error('Engine not initialised');
    return this.config;
  }

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

  useBackbone(id: BackboneId): Promise<BackboneLoaded> {
    return this.lock.change(async () => {
      const started = performance.now();
      const backbone = await this.backbones.load(id);
      await this.lock.swap(() => this.backbones.select(backbone));
      return { loadMs: performance.now() - started, embedRuntime: backbone.embedRuntime, embedThreads: backbone.embedThreads };
    });
  }

  probe: MlApi['probe'] = (file, topK) => this.predictions.probe(file, topK);
  prepareImage: MlApi['prepareImage'] = (file) => this.predictions.prepareImage(file);
  importFile: MlApi['importFile'] = (file, name) => this.predictions.importFile(file, name);
  embedTrainingCopies: MlApi['embedTrainingCopies'] = (jpegs, backboneId) => this.predictions.embedTrainingCopies(jpegs, backboneId);
  predictFiles: MlApi['predictFiles'] = (files) => this.predictions.predictFiles(files);
  predictRgba: MlApi['predictRgba'] = (rgba) => this.predictions.predictRgba(rgba);

  train: MlApi['train'] = (request, onProgress) => this.training.train(request, onProgress);
  fineTune: MlApi['fineTune'] = (request, onProgress) => this.training.fineTune(request, onProgress);
  setHead: MlApi['setHead'] = (head) => this.training.setHead(head);
  setTunedBackbone: MlApi['setTunedBackbone'] = (tuned) => this.training.setTunedBackbone(tuned);
  useClassifier: MlApi['useClassifier'] = (files, inputRange, classCount) => this.training.useClassifier(files, inputRange, classCount);

  async stopTraining(): Promise<void> {
    this.training.stop();
  }

  exportModel: MlApi['exportModel'] = () => this.exports.exportModel();
  exportTflite: MlApi['exportTflite'] = (labels, options) => this.exports.exportTflite(labels, options);
  exportOnnx: MlApi['exportOnnx'] = (labels) => this.exports.exportOnnx(labels);
  predictTfliteInt8: MlApi['predictTfliteInt8'] = (jpegs, kind) => this.exports.predictTfliteInt8(jpegs, kind);
  calibrateFullInt8: MlApi['calibrateFullInt8'] = (jpegs, restart) => this.exports.calibrateFullInt8(jpegs, restart);
  fullInt8Calibration: MlApi['fullInt8Calibration'] = () => this.exports.fullInt8Calibration();

  async tensorCount(): Promise<number> {
    return tf.memory().numTensors;
  }

  async ping(): Promise<number> {
    return Date.now();
  }

  async simulateFault(kind: FaultKind): Promise<void> {
    if (kind === 'crash') {
      // An uncaught error reaches the Worker's 'error' event, as a real crash would.
      setTimeout(() => {
        throw new Error('Simulated worker crash');
      });
      return;
    }
    if (kind === 'exit') {
      // A worker that stops without an error event (killed for memory, closed): only silence tells.
      setTimeout(this.exit);
      return;
    }
    const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGL2RenderingContext } }).gpgpu?.gl;
    gl?.getExtension('WEBGL_lose_context')?.loseContext();
  }

  async debugHold(point: GatePoint, atCall: number, andLater = false): Promise<void> {
    this.gates.hold(point, atCall, andLater);
  }

  async debugRelease(point: GatePoint): Promise<void> {
    this.gates.release(point);
  }

  async debugIsHeld(point: GatePoint): Promise<boolean> {
    return this.gates.isHeld(point);
  }
}
