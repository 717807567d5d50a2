import type { TrainSettings } from '../../ml/head/settings';
import type { ClassRecord, NewImageRecord } from '../../platform/project-db';
import type { StoredModel } from './model-record';

/** `format` of project.json. */
export const PROJECT_FORMAT = 'transfer-studio-project';
/** Version of the project file layout this app writes and reads. */
export const PROJECT_VERSION = 1;

/** Bounds on what a project file may declare (checked before anything is written). */
export const PROJECT_LIMITS = {
  classes: 1000,
  images: 100_000,
  /** One 224x224 JPEG training copy. */
  pixelBytes: 2 * 1024 * 1024,
  /** project.json. */
  manifestBytes: 64 * 1024 * 1024,
  /** The whole .zip file. */
  fileBytes: 2 * 1024 * 1024 * 1024,
  /** One embeddings/<backbone>.bin. */
  embeddingBytes: 1024 * 1024 * 1024,
};

/** Embeddings of one backbone: `embeddings/<backboneId>.bin` holds hashes.length rows of dim float32 values. */
export interface EmbeddingsEntry {
  backboneId: string;
  dim: number;
  hashes: string[];
}

/**
 * project.json, the manifest of a project file. The zip also holds pixels/<hash>.jpg (each
 * photo's 224x224 training copy), embeddings/<backboneId>.bin and, with a model, model/head.bin.
 */
export interface ProjectManifest {
  format: typeof PROJECT_FORMAT;
  version: number;
  appVersion: string;
  savedAt: string;
  classes: ClassRecord[];
  images: NewImageRecord[];
  embeddings: EmbeddingsEntry[];
  settings: TrainSettings;
  model: StoredModel | null;
}
