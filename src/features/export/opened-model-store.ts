import { create } from 'zustand';
import type { TrainedModel } from '../../store/training-store';
import type { ModelBundle } from './model-bundle';
import type { OpenedMetadata } from './opened-metadata';

/** A model opened from files and in use as the classifier. */
export interface OpenedModel {
  bundle: ModelBundle;
  metadata: OpenedMetadata;
  labels: string[];
  params: number;
  /** The training store's model while this one is in use (a new training replaces it). */
  model: TrainedModel;
}

/** The "Open a model" panel's state. */
export interface OpenedModelState {
  busy: boolean;
  error: string | null;
  opened: OpenedModel | null;
}

/** The model opened from files, if any. */
export const useOpenedModelStore = create<OpenedModelState>(() => ({ busy: false, error: null, opened: null }));
