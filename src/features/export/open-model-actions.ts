import { engine } from '../../engine/connection';
import { useEngineStore } from '../../store/engine-store';
import { usePredictionStore } from '../../store/prediction-store';
import { useTrainingStore, type TrainedModel } from '../../store/training-store';
import { clearPredictions } from '../prediction/predict-actions';
import { readModelBundle } from './model-bundle';
import { genericLabels, readOpenedMetadata } from './opened-metadata';
import { useOpenedModelStore, type OpenedModel } from './opened-model-store';

const set = useOpenedModelStore.setState;

/** The opened model, while it is the one in use (not replaced by a training since). */
export function activeOpenedModel(): OpenedModel | null {
  const opened = useOpenedModelStore.getState().opened;
  return opened && useTrainingStore.getState().model === opened.model ? opened : null;
}

/** A TrainedModel record for an opened model, so the Use step classifies with it. */
function asTrainedModel(labels: string[]): TrainedModel {
  return {
    backboneId: useEngineStore.getState().backboneId,
    classIds: labels.map((_, i) => `opened-${i}`),
    classNames: labels,
    head: { dim: 0, numClasses: labels.length, hiddenUnits: 0, dropout: 0, weights: [] },
    settings: useTrainingStore.getState().settings,
    history: [],
    bestEpoch: 0,
    evaluation: null,
    validationImageIds: [],
    validationPredicted: [],
    mistakes: [],
    trainedAt: Date.now(),
  };
}

/**
 * Opens a model from picked files (a .zip, or model.json + weights.bin + metadata.json) and makes
 * it the classifier of the Use step. Invalid files leave the current model in place and set a
 * message saying what was expected and what was found.
 */
export async function openModel(files: readonly File[]): Promise<void> {
  set({ busy: true, error: null });
  try {
    const bundle = await readModelBundle(files);
    const metadata = readOpenedMetadata(bundle.metadataJson);
    const api = await engine();
    // The engine takes a copy of the weights (structured clone), so the bundle keeps its own.
    const info = await api.useClassifier({ modelJson: bundle.modelJson, weights: bundle.weights }, metadata.inputRange, metadata.labels?.length ?? null);
    const labels = metadata.labels ?? genericLabels(info.numClasses);
    const model = asTrainedModel(labels);
    useTrainingStore.setState({ model, phase: 'idle', history: [], error: null, message: `Using the opened model (${bundle.label}). Training here replaces it.` });
    clearPredictions();
    usePredictionStore.setState({ filterClass: null });
    set({ busy: false, opened: { bundle, metadata, labels, params: info.params, model } });
  } catch (error) {
    set({ busy: false, error: (error as Error).message || String(error) });
  }
}
