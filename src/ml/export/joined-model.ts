import * as tf from '@tensorflow/tfjs';

/** A tfjs layers model as files: `model.json` text and the weights' bytes. */
export interface SavedModelFiles {
  modelJson: string;
  weights: ArrayBuffer;
}

/** Serialises a layers model to `model.json` (pointing at `weights.bin`) and its weight bytes. */
export async function saveToFiles(model: tf.LayersModel): Promise<SavedModelFiles> {
  let files: SavedModelFiles | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData;
      const weights = data === undefined ? new ArrayBuffer(0) : Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data;
      const json = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      };
      files = { modelJson: JSON.stringify(json), weights };
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  if (!files) throw new Error('The model could not be serialised');
  return files;
}

/**
 * Joins the backbone (image -> embedding) and the head (embedding -> probabilities) into one
 * layers model from a 224x224x3 image in the backbone's input range to class probabilities,
 * and serialises it. With no layers backbone (the TF-Hub graph model), only the head is saved.
 */
export async function exportJoinedModel(embedder: tf.LayersModel | null, head: tf.LayersModel): Promise<SavedModelFiles> {
  if (!embedder) return saveToFiles(head);
  let x = embedder.outputs[0] as tf.SymbolicTensor;
  for (const layer of head.layers) x = layer.apply(x) as tf.SymbolicTensor;
  const joined = tf.model({ inputs: embedder.inputs, outputs: x, name: 'transfer_studio_classifier' });
  return saveToFiles(joined);
}
