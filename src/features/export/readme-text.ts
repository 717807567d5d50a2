import { getBackboneSpec } from '../../ml/backbones/catalog';

/** README.txt shipped in the model zip: how to load the model and preprocess exactly like the app. */
export function exportReadme(backboneId: string, labels: readonly string[]): string {
  const spec = getBackboneSpec(backboneId);
  const [lo, hi] = spec.inputRange;
  const scale = (hi - lo) / 255;
  return `Transfer Studio image classifier
================================
Backbone: ${spec.label} (${spec.id}). Classes, in output order: ${labels.join(', ')}.
Files: model.json + weights.bin (TensorFlow.js layers model), metadata.json (labels and settings).

Input: a [N, ${spec.inputSize}, ${spec.inputSize}, 3] float32 tensor, RGB, values in [${lo}, ${hi}].
Preprocess exactly as the app does: apply EXIF orientation, take the largest centred square,
resize it to ${spec.inputSize}x${spec.inputSize} (smooth/bilinear) over a white background (transparent pixels
become white), then x * ${scale} + ${lo}.
Output: softmax probabilities, one per class, in the order of metadata.json "labels".
${spec.parts ? `\nThe model runs ${spec.parts.join(' and ')} on the same image and joins their embeddings\n(a Concatenate layer) before the classifier head: one model, one image input, plain Keras layers.\n` : ''}${spec.format === 'graph' ? `\nNOTE: for this backbone only the classifier head is exported. Its input is the ${spec.embeddingSize}-value\nembedding of ${spec.id} (${spec.embeddingLayer}), not an image: run that model first.\n` : ''}
In a web page (tfjs 4.x), for a photo given as a Blob or File (e.g. from <input type=file>):
  <script src="https://cdn.jsdelivr.net/npm/@tensorflow/tfjs@4.22.0"></script>
  const model = await tf.loadLayersModel('./model.json');
  const labels = (await (await fetch('./metadata.json')).json()).labels;
  const bitmap = await createImageBitmap(photo, { imageOrientation: 'from-image' });
  const w = bitmap.width, h = bitmap.height, side = Math.min(w, h);
  const c = document.createElement('canvas'); c.width = c.height = ${spec.inputSize};
  const ctx = c.getContext('2d', { willReadFrequently: true });
  ctx.fillStyle = '#ffffff'; ctx.fillRect(0, 0, ${spec.inputSize}, ${spec.inputSize});
  ctx.imageSmoothingEnabled = true; ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, Math.floor((w - side) / 2), Math.floor((h - side) / 2), side, side, 0, 0, ${spec.inputSize}, ${spec.inputSize});
  const rgba = ctx.getImageData(0, 0, ${spec.inputSize}, ${spec.inputSize});
  const x = tf.tidy(() => tf.browser.fromPixels(rgba).toFloat().mul(${scale}).add(${lo}).expandDims(0));
  const probs = await model.predict(x).data();

In Node (npm install @tensorflow/tfjs):
  const tf = require('@tensorflow/tfjs');
  const fs = require('fs');
  async function classify(pixels) {
    // pixels: Uint8Array of ${spec.inputSize}*${spec.inputSize}*3 RGB bytes, already cropped and resized as above
    const json = JSON.parse(fs.readFileSync('model.json', 'utf8'));
    const weights = fs.readFileSync('weights.bin');
    const model = await tf.loadLayersModel(tf.io.fromMemory({
      modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights,
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) }));
    const x = tf.tensor4d(pixels, [1, ${spec.inputSize}, ${spec.inputSize}, 3], 'int32').toFloat().mul(${scale}).add(${lo});
    return Array.from(await model.predict(x).data());
  }
`;
}
