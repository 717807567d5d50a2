import { getBackboneSpec } from '../../ml/backbones/catalog';
import type { TrainedModel } from '../../store/training-store';

/** App version written into exports. */
export const APP_VERSION = '0.1.0';

/**
 * metadata.json for an exported model: a superset of Teachable Machine's image-model metadata
 * (`labels`, `modelName`, `imageSize`, `timeStamp`, ...) plus what is needed to reproduce the
 * app's predictions exactly.
 */
export function buildMetadata(model: TrainedModel, joined: boolean) {
  const spec = getBackboneSpec(model.backboneId);
  return {
    tfjsVersion: '4.22.0',
    tmVersion: '2.4.10',
    packageVersion: APP_VERSION,
    packageName: 'transfer-studio',
    timeStamp: new Date(model.trainedAt).toISOString(),
    userMetadata: {},
    modelName: 'transfer-studio-image-model',
    labels: model.classNames,
    imageSize: spec.inputSize,
    transferStudio: {
      appVersion: APP_VERSION,
      exportedAt: new Date().toISOString(),
      backbone: { id: spec.id, label: spec.label, embeddingSize: spec.embeddingSize, format: spec.format, ...(spec.parts ? { parts: [...spec.parts] } : {}) },
      modelKind: joined ? 'image-to-probabilities' : 'embedding-to-probabilities (run the backbone first)',
      input: joined
        ? { shape: [null, spec.inputSize, spec.inputSize, 3], dtype: 'float32', range: spec.inputRange }
        : { shape: [null, spec.embeddingSize], dtype: 'float32', note: `the ${spec.embeddingLayer} output of ${spec.id}` },
      preprocessing: {
        orientation: 'EXIF orientation applied (createImageBitmap imageOrientation: from-image)',
        crop: 'largest centred square',
        resize: `${spec.inputSize}x${spec.inputSize}, 2D canvas drawImage with imageSmoothingQuality "high"`,
        normalization: `x * ${(spec.inputRange[1] - spec.inputRange[0]) / 255} + ${spec.inputRange[0]} (RGB bytes [0, 255] -> [${spec.inputRange.join(', ')}])`,
      },
      output: { activation: 'softmax', classes: model.classNames.length },
      training: { settings: model.settings, bestEpoch: model.bestEpoch, epochsRun: model.history.length },
      fineTune: model.fineTune
        ? {
            settings: model.fineTune.settings,
            kept: model.fineTune.improved ? 'fine-tuned' : 'model from before fine-tuning',
            backboneLayersFineTuned: model.fineTune.backbone?.layers ?? [],
            validationBefore: model.fineTune.before,
            validationAfter: model.fineTune.after,
          }
        : null,
      validation: model.evaluation
        ? { accuracy: model.evaluation.accuracy, images: model.validationImageIds.length, perClass: model.evaluation.perClass }
        : null,
    },
  };
}
