import { create } from 'zustand';
import type { ErrorInfo } from '../lib/errors';

/** One classified photo. `ranked` holds class indices and probabilities, best first. */
export interface PredictionRow {
  id: number;
  path: string;
  previewUrl: string;
  status: 'pending' | 'done' | 'error';
  ranked: { classIndex: number; probability: number }[];
  error?: ErrorInfo;
  /** Kept so the photo can be added to a class in one action. */
  file: File;
}

export interface PredictionState {
  rows: PredictionRow[];
  /** Below this top-class confidence the app says "not sure", [0, 1]. */
  threshold: number;
  sortBy: 'input' | 'confidence-desc' | 'confidence-asc';
  filterClass: number | null;
  webcam: { on: boolean; label: string | null; confidence: number | null; fps: number | null; error: string | null; ranked: { classIndex: number; probability: number }[] };
}

export const INITIAL_PREDICTION_STATE: PredictionState = {
  rows: [],
  threshold: 0.5,
  sortBy: 'input',
  filterClass: null,
  webcam: { on: false, label: null, confidence: null, fps: null, error: null, ranked: [] },
};

/** The Use step's state. */
export const usePredictionStore = create<PredictionState>(() => INITIAL_PREDICTION_STATE);
