import { create } from 'zustand';
import type { ErrorInfo } from '../lib/errors';
import type { HeadArtifact } from '../ml/head/head-artifact';
import type { Evaluation } from '../ml/head/metrics';
import { DEFAULT_TRAIN_SETTINGS, type TrainSettings } from '../ml/head/settings';
import type { FineTuneEstimate, ValidationScore } from '../ml/finetune/finetune';
import type { FineTuneSettings } from '../ml/finetune/settings';
import { DEFAULT_FINETUNE_SETTINGS } from '../ml/finetune/settings';
import type { EpochLog } from '../ml/head/train-head';
import type { TunedBackbone } from '../worker/ml-api';

/** Where the train step is (the `training-state` hook's `data-state`). */
export type TrainingPhase = 'idle' | 'embedding' | 'training' | 'finetuning' | 'done' | 'error';

/** The last fine-tune of a model: what it did and, when it helped, the backbone weights it changed. */
export interface FineTuneRecord {
  settings: FineTuneSettings;
  before: ValidationScore;
  /** Score of the kept model (the one from before when fine-tuning did not help). */
  after: ValidationScore;
  /** Score of the best fine-tuned epoch, kept or not (null when stopped before one ended). */
  bestTuned: ValidationScore | null;
  improved: boolean;
  stoppedByUser: boolean;
  /** Fine-tune epochs, numbered from 1. */
  history: EpochLog[];
  durationMs: number;
  /** The fine-tuned backbone in use (from this or an earlier fine-tune); null = the pretrained one. */
  backbone: TunedBackbone | null;
}

/** A validation photo the model got wrong, most confident first. */
export interface Mistake {
  imageId: string;
  trueClassId: string;
  predictedClassId: string;
  confidence: number;
}

/** The trained model, as plain data (the head's weights live in the engine and in IndexedDB). */
export interface TrainedModel {
  backboneId: string;
  /** Class ids in output order. */
  classIds: string[];
  classNames: string[];
  head: HeadArtifact;
  settings: TrainSettings;
  history: EpochLog[];
  bestEpoch: number;
  evaluation: Evaluation | null;
  /** Per validation image: its id (for the confusion matrix drill-down). */
  validationImageIds: string[];
  validationPredicted: number[];
  mistakes: Mistake[];
  trainedAt: number;
  /** Set once the model was fine-tuned; training the head again discards it. */
  fineTune?: FineTuneRecord | null;
}

/** The fine-tune panel's choices; `blocks` null = the backbone's default. */
export type FineTuneChoices = Omit<FineTuneSettings, 'blocks' | 'seed' | 'batchSize' | 'patience'> & { blocks: number | null };

export interface TrainingState {
  phase: TrainingPhase;
  settings: TrainSettings;
  /** `engines`: how many engine workers embedded (2 when the second one joined; embed-helper.ts). */
  embedding: { done: number; total: number; imagesPerSecond: number | null; secondsLeft: number | null; engines: number } | null;
  /** Whether `embedding` is the background job's (before Train: background-embed.ts). */
  embeddingInBackground: boolean;
  /** Epoch logs of the training in progress (or the last one). */
  history: EpochLog[];
  /** Progress within the current epoch, [0, 1]. */
  epochFraction: number;
  model: TrainedModel | null;
  message: string | null;
  error: ErrorInfo | null;
  fineTune: FineTuneChoices;
  /** Time estimate of the fine-tune in progress (from its first measured batch). */
  estimate: FineTuneEstimate | null;
  /** Head epochs in `history` before fine-tune epochs begin (null: no fine-tune shown). */
  fineTuneFrom: number | null;
}

export const INITIAL_TRAINING_STATE: TrainingState = {
  phase: 'idle',
  settings: DEFAULT_TRAIN_SETTINGS,
  embedding: null,
  embeddingInBackground: false,
  history: [],
  epochFraction: 0,
  model: null,
  message: null,
  error: null,
  fineTune: { blocks: null, epochs: DEFAULT_FINETUNE_SETTINGS.epochs, learningRate: DEFAULT_FINETUNE_SETTINGS.learningRate, augment: DEFAULT_FINETUNE_SETTINGS.augment },
  estimate: null,
  fineTuneFrom: null,
};

/** The train step's state. */
export const useTrainingStore = create<TrainingState>(() => INITIAL_TRAINING_STATE);
