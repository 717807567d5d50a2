import { create } from 'zustand';
import type { ErrorInfo } from '../lib/errors';
import type { HeadArtifact } from '../ml/head/head-artifact';
import type { Evaluation } from '../ml/head/metrics';
import { DEFAULT_TRAIN_SETTINGS, type TrainSettings } from '../ml/head/settings';
import type { EpochLog } from '../ml/head/train-head';

/** Where the train step is (the `training-state` hook's `data-state`). */
export type TrainingPhase = 'idle' | 'embedding' | 'training' | 'done' | 'error';

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
}

export interface TrainingState {
  phase: TrainingPhase;
  settings: TrainSettings;
  embedding: { done: number; total: number; imagesPerSecond: number | null; secondsLeft: number | null } | null;
  /** Epoch logs of the training in progress (or the last one). */
  history: EpochLog[];
  /** Progress within the current epoch, [0, 1]. */
  epochFraction: number;
  model: TrainedModel | null;
  message: string | null;
  error: ErrorInfo | null;
}

export const INITIAL_TRAINING_STATE: TrainingState = {
  phase: 'idle',
  settings: DEFAULT_TRAIN_SETTINGS,
  embedding: null,
  history: [],
  epochFraction: 0,
  model: null,
  message: null,
  error: null,
};

/** The train step's state. */
export const useTrainingStore = create<TrainingState>(() => INITIAL_TRAINING_STATE);
