import type { BackendInfo, BackendName } from '../ml/backend';
import type { BackboneId } from '../ml/backbones/catalog';
import type { ImagenetGuess } from '../ml/backbones/types';

/** Where the engine finds what it serves from our own origin. */
export interface EngineConfig {
  backend: BackendName;
  /** Absolute URL of the folder holding public/models/<id>/ ("https://host/models"). */
  modelBaseUrl: string;
  /** Absolute URL of the folder holding the tfjs .wasm files, ending in "/". */
  wasmBaseUrl: string;
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

/**
 * The ML engine's API: the only way the UI reaches TensorFlow.js. Everything crossing it is
 * structured-cloneable plain data. It runs in a Web Worker, or on the main thread as fallback.
 */
export interface MlApi {
  /** Starts a tfjs backend (falling back along webgl -> wasm -> cpu). */
  init(config: EngineConfig): Promise<BackendInfo>;
  /** Loads (once) and selects a backbone; resolves with the load time in milliseconds. */
  useBackbone(id: BackboneId): Promise<{ loadMs: number }>;
  /** Decodes one image file, embeds it with the current backbone, and asks its ImageNet head. */
  probe(file: Blob, topK: number): Promise<ProbeResult>;
  /** Live tensors in the engine (for leak checks). */
  tensorCount(): Promise<number>;
}
