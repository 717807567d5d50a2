import type { BackendChoice, BackendInfo } from '../ml/backend';
import type { BackboneId } from '../ml/backbones/catalog';
import type { EmbedRuntime, ImagenetGuess } from '../ml/backbones/types';
import type { FineTuneEstimate, FineTuneResult } from '../ml/finetune/finetune';
import type { FineTuneSettings } from '../ml/finetune/settings';
import type { HeadArtifact, HeadWeight } from '../ml/head/head-artifact';
import type { TrainSettings } from '../ml/head/settings';
import type { EpochLog } from '../ml/head/train-head';
import type { ErrorInfo } from '../lib/errors';
import type { SkipReason } from '../platform/file-sniff';
import type { GatePoint } from './debug-gates';

/** Faults a test can inject: a lost WebGL context, a crash (error event), a silent exit (no event). */
export type FaultKind = 'lose-context' | 'crash' | 'exit';

/** Where the engine finds what it serves from our own origin. */
export interface EngineConfig {
  backend: BackendChoice;
  /** Absolute URL of the folder holding public/models/<id>/ ("https://host/models"). */
  modelBaseUrl: string;
  /** Absolute URL of the folder holding the tfjs .wasm files, ending in "/". */
  wasmBaseUrl: string;
  /** Absolute URL of the folder holding LiteRT.js' files (public/litert/), ending in "/". */
  liteRtBaseUrl: string;
  /**
   * Who runs the frozen backbone: 'auto' = LiteRT.js on the wasm backend (faster on the CPU), tfjs
   * on WebGL; 'tfjs' = tfjs always (`?embedRuntime=tfjs`: benchmarks, comparisons).
   */
  embedRuntime: 'auto' | 'tfjs';
  /**
   * Threads LiteRT.js may embed on: > 1 loads its threaded build, which needs a cross-origin
   * isolated page (COOP/COEP); 1 its single-thread build.
   */
  embedThreads: number;
}

/** A backbone the engine has loaded and selected. */
export interface BackboneLoaded {
  loadMs: number;
  /** What runs its embeddings. */
  embedRuntime: EmbedRuntime;
  /** Threads its embeddings run on (1 unless LiteRT.js' threaded build runs them). */
  embedThreads: number;
}

/** What the first screen shows for one photo. */
export interface ProbeResult {
  embedding: Float32Array;
  /** Decode + crop/resize time, milliseconds. */
  decodeMs: number;
  /** Embedding time, milliseconds. */
  embedMs: number;
  /** Top ImageNet guesses of the pretrained head; empty when the backbone has none. */
  imagenet: ImagenetGuess[];
}

/** A photo reduced at import: its content hash, original size and 224x224 training copy. */
/** A file checked and prepared for the project, or the reason it is skipped. */
export type ImportedFile = ({ ok: true } & PreparedImage) | { ok: false; reason: SkipReason; detail: string };

export interface PreparedImage {
  /** SHA-256 of the original file bytes, hex. */
  hash: string;
  width: number;
  height: number;
  /** The centre square at 224x224, JPEG. */
  jpeg: Blob;
}

/** Everything training needs; `embeddings` is N*dim row-major (transferred, not copied). */
export interface TrainRequest {
  embeddings: Float32Array;
  dim: number;
  labels: Int32Array;
  numClasses: number;
  trainIndices: number[];
  validationIndices: number[];
  settings: TrainSettings;
}

/** Live training progress: an epoch that ended, or how far the current epoch is. */
/** Shortest time between two batch-progress messages from the engine (the end of an epoch always goes). */
export const BATCH_PROGRESS_MS = 100;

export type TrainProgress = { kind: 'epoch'; log: EpochLog } | { kind: 'batch'; epoch: number; fraction: number };

/** The outcome of a training: the history, the best epoch and the head as plain data. */
export interface TrainOutcome {
  history: EpochLog[];
  bestEpoch: number;
  stoppedEarly: boolean;
  stoppedByUser: boolean;
  /** validationIndices.length * numClasses probabilities from the kept (best) model. */
  validationProbabilities: Float32Array | null;
  head: HeadArtifact;
  durationMs: number;
}

/** Everything fine-tuning needs: the training copies (one per row), labels and the head's split. */
export interface FineTuneRequest {
  /** 224x224 JPEG training copies, one per row; decoded in the engine batch by batch. */
  jpegs: Blob[];
  labels: Int32Array;
  numClasses: number;
  trainIndices: number[];
  validationIndices: number[];
  settings: FineTuneSettings;
  /** The head's settings: its shape, dropout and class weighting carry over. */
  headSettings: Pick<TrainSettings, 'hiddenUnits' | 'dropout' | 'classWeighting'>;
}

/** Fine-tuning progress: the head's kinds, plus the time estimate from the first measured batch. */
export type FineTuneProgress = TrainProgress | { kind: 'estimate'; estimate: FineTuneEstimate };

/** A fine-tuned backbone as plain data: the weights of the layers fine-tuning changed, by name. */
export interface TunedBackbone {
  backboneId: BackboneId;
  /** Names of the changed layers. */
  layers: string[];
  weights: HeadWeight[];
}

/** The outcome of fine-tuning; `head` and `backbone` are what the engine uses now (the better of before and after). */
export interface FineTuneOutcome extends Omit<FineTuneResult, 'trainableLayers' | 'weights'> {
  head: HeadArtifact;
  /** The backbone in use now: null when it is the pretrained one. */
  backbone: TunedBackbone | null;
  durationMs: number;
}

/** One prediction: class probabilities, or why the photo could not be classified. */
export type PredictionResult = { ok: true; probabilities: Float32Array } | { ok: false; error: ErrorInfo };

/** A tfjs layers model as files: `model.json` text and the weights' bytes. */
export interface ModelFiles {
  modelJson: string;
  weights: ArrayBuffer;
}

/** What an opened classifier declares. */
export interface OpenedClassifier {
  numClasses: number;
  /** Weight values. */
  params: number;
}

/**
 * The ML engine's API: the only way the UI reaches TensorFlow.js. Everything crossing it is
 * structured-cloneable plain data. It runs in a Web Worker, or on the main thread as fallback.
 */
export interface MlApi {
  /** Starts a tfjs backend (falling back along webgl -> wasm -> cpu). */
  init(config: EngineConfig): Promise<BackendInfo>;
  /** Loads (once) and selects a backbone; resolves with the load time in milliseconds. */
  useBackbone(id: BackboneId): Promise<BackboneLoaded>;
  /** Decodes one image file, embeds it with the current backbone, and asks its ImageNet head. */
  probe(file: Blob, topK: number): Promise<ProbeResult>;
  /** Decodes a photo, hashes its bytes and makes its 224x224 training copy. */
  prepareImage(file: Blob): Promise<PreparedImage>;
  /**
   * The import step for one file: checks it (system file, empty, too big, not an image, broken
   * header, decompression bomb) and, when it passes, prepares it. Here rather than on the page so
   * that the page's thread only schedules (reading 20,000 file headers there cost it seconds).
   */
  importFile(file: Blob, name: string): Promise<ImportedFile>;
  /**
   * Embeds 224x224 training copies with backbone `backboneId`, one row per blob (each of the
   * backbone's embedding size). Refused with `backbone-changed` when another backbone is loaded.
   * The app always names it; only the bench hook (app/debug-hooks.ts) leaves it out, meaning "the loaded one".
   */
  embedTrainingCopies(jpegs: Blob[], backboneId?: BackboneId): Promise<Float32Array[]>;
  /** Trains a new head on embeddings (dropping a fine-tuned backbone); `onProgress` is called per batch and per epoch. */
  train(request: TrainRequest, onProgress: (p: TrainProgress) => void): Promise<TrainOutcome>;
  /**
   * Unfreezes the current layers backbone's last `settings.blocks` blocks and trains them with the
   * head on the decoded training copies; keeps the better of before and after. Stoppable with stopTraining().
   */
  fineTune(request: FineTuneRequest, onProgress: (p: FineTuneProgress) => void): Promise<FineTuneOutcome>;
  /** Installs a fine-tuned backbone (after setHead, on reload or an opened project), or drops it (null). */
  setTunedBackbone(tuned: TunedBackbone | null): Promise<void>;
  /** Asks a running training to stop after the current batch (the best model so far is kept). */
  stopTraining(): Promise<void>;
  /** Installs a trained head (after a reload, or an opened project); drops a fine-tuned backbone. */
  setHead(head: HeadArtifact | null): Promise<void>;
  /** Classifies photos with the current backbone and head. */
  predictFiles(files: Blob[]): Promise<PredictionResult[]>;
  /** Classifies an already-preprocessed 224x224 RGBA frame (webcam). */
  predictRgba(rgba: Uint8ClampedArray): Promise<Float32Array>;
  /** Backbone + head joined into one layers model from image to probabilities (layers backbones only). */
  exportModel(): Promise<ModelFiles>;
  /**
   * The classifier in use (backbone + head, or an opened model) as a float32 `.tflite` file from a
   * [1, 224, 224, 3] image to probabilities; `labels` (output order) go into its metadata. Layers
   * backbones only: throws for the TF-Hub graph model, or a layer TFLite export does not handle.
   */
  exportTflite(labels: string[], options?: { int8Weights?: boolean; fullInt8?: boolean }): Promise<Uint8Array>;
  /**
   * Full-integer TFLite calibration: runs these training copies through the float graph and widens
   * each activation's range (`restart`: a new calibration). Returns the photos seen so far.
   */
  calibrateFullInt8(jpegs: Blob[], restart: boolean): Promise<number>;
  /** Photos the current model's calibration saw; 0 when there is none (or the model changed since). */
  fullInt8Calibration(): Promise<number>;
  /**
   * The same float graph as `exportTflite` (backbone with BatchNorm folded + head) as an ONNX
   * model (opset 13): [N, 224, 224, 3] float32 image (NHWC, the backbone's range) ->
   * [N, classes] probabilities; labels and input range in its metadata_props. Layers backbones only.
   */
  exportOnnx(labels: string[]): Promise<Uint8Array>;
  /**
   * Classifies 224x224 training copies with the int8-weights TFLite graph of backbone + head (run
   * by the reference interpreter on tfjs ops, as TFLite would: weights dequantized, float compute),
   * or with the full-integer one (`full`, after calibrating: int8 activations emulated on their
   * grids); N x classes probabilities. For the accuracies shown next to the float model's.
   */
  predictTfliteInt8(jpegs: Blob[], kind?: 'weights' | 'full'): Promise<Float32Array>;
  /** Live tensors in the engine (for leak checks). */
  tensorCount(): Promise<number>;
  /** Answers at once; the client pings a worker while calls are pending, to notice one that stopped silently. */
  ping(): Promise<number>;
  /** Test hook: loses the WebGL context, crashes the worker, or ends it silently, to exercise recovery. */
  simulateFault(kind: FaultKind): Promise<void>;
  /** Test hook (`?debug`): the `atCall`-th call from now at `point` waits until debugRelease(point). */
  debugHold(point: GatePoint, atCall: number, andLater?: boolean): Promise<void>;
  /** Test hook: lets a held call go on. */
  debugRelease(point: GatePoint): Promise<void>;
  /** Test hook: true while a call waits at `point`. */
  debugIsHeld(point: GatePoint): Promise<boolean>;
  /**
   * Opens a full image -> probabilities layers model (checked before tfjs builds it) and classifies
   * with it instead of backbone + head, until the next train() or setHead(). `inputRange` is what
   * RGB [0, 255] maps to; with `classCount`, a model with another number of outputs is refused
   * (and the classifier in use stays).
   */
  useClassifier(files: ModelFiles, inputRange: [number, number], classCount: number | null): Promise<OpenedClassifier>;
}
