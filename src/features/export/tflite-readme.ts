/** Which TFLite file: float32, int8 weights (float compute), or full integer (uint8 in, int8 compute). */
export type TfliteVariant = 'float' | 'int8-weights' | 'full-int8';

/** README.txt of the TensorFlow Lite zip: the input contract and how to run the model. */
export function tfliteReadme(modelLabel: string, labels: readonly string[], range: readonly [number, number], variant: TfliteVariant = 'float', calibrationPhotos = 0): string {
  return variant === 'full-int8' ? fullInt8Readme(modelLabel, labels, range, calibrationPhotos) : floatReadme(modelLabel, labels, range, variant === 'int8-weights');
}

function floatReadme(modelLabel: string, labels: readonly string[], range: readonly [number, number], int8Weights: boolean): string {
  const [lo, hi] = range;
  const scale = (hi - lo) / 255;
  return `Transfer Studio image classifier, TensorFlow Lite
=================================================
Model: ${modelLabel}. Classes, in output order (labels.txt, one a line): ${labels.join(', ')}.
Files: model.tflite (${int8Weights ? 'int8 weights, one scale per output channel, dequantized by DEQUANTIZE ops; float32 compute' : 'float32'}, written in the browser by Transfer Studio), labels.txt.

Input: [1, 224, 224, 3] float32, RGB, values in [${lo}, ${hi}]: x * ${scale} + ${lo} of the RGB bytes
(${lo === -1 && hi === 1 ? 'pixel / 127.5 - 1' : `pixel * ${scale} + ${lo}`}).
Preprocess as the app does: apply EXIF orientation, take the largest centred square, resize it to
224x224 (smooth/bilinear), with transparent pixels flattened onto white.
Output: [1, ${labels.length}] softmax probabilities, in labels.txt order.
Operators: CONV_2D, DEPTHWISE_CONV_2D, ADD, MEAN, FULLY_CONNECTED, SOFTMAX (builtin, version 1)${int8Weights ? ', DEQUANTIZE (version 5)' : ''}.

Python (pip install ai-edge-litert, or tensorflow's tf.lite.Interpreter):
  import numpy as np
  from PIL import Image
  from ai_edge_litert.interpreter import Interpreter
  it = Interpreter(model_path='model.tflite'); it.allocate_tensors()
  img = Image.open('photo.jpg').convert('RGBA')
  img = Image.alpha_composite(Image.new('RGBA', img.size, 'white'), img).convert('RGB'); s = min(img.size)
  img = img.crop(((img.width - s) // 2, (img.height - s) // 2, (img.width + s) // 2, (img.height + s) // 2)).resize((224, 224), Image.BILINEAR)
  x = (np.asarray(img, np.float32) * ${scale} + ${lo})[None]
  it.set_tensor(it.get_input_details()[0]['index'], x); it.invoke()
  probs = it.get_tensor(it.get_output_details()[0]['index'])[0]
  labels = open('labels.txt').read().splitlines()

Android: put model.tflite and labels.txt in assets/ and run it with org.tensorflow.lite.Interpreter
(or LiteRT), feeding a 1x224x224x3 float buffer scaled as above.

MediaPipe Tasks and the Android Task Library: model.tflite carries TFLite Model Metadata (input
normalization mean 127.5 / std 127.5 for [-1, 1], the labels packed into the file), so their
ImageClassifier takes it as is, e.g. on the web (npm install @mediapipe/tasks-vision):
  const classifier = await ImageClassifier.createFromOptions(
    await FilesetResolver.forVisionTasks('<path to @mediapipe/tasks-vision/wasm>'),
    { baseOptions: { modelAssetPath: 'model.tflite' }, maxResults: 3 });
  const top = classifier.classify(imageElement).classifications[0].categories[0]; // categoryName, score
(MediaPipe resizes the whole image to 224x224 itself; crop it square first to match the app.)
`;
}

/** The full-integer file: uint8 pixels in, int8 compute, float32 probabilities out. */
function fullInt8Readme(modelLabel: string, labels: readonly string[], range: readonly [number, number], photos: number): string {
  const [lo, hi] = range;
  const scale = (hi - lo) / 255;
  const zero = Math.round(-lo / scale);
  return `Transfer Studio image classifier, TensorFlow Lite, full integer (int8)
=======================================================================
Model: ${modelLabel}. Classes, in output order (labels.txt, one a line): ${labels.join(', ')}.
Files: model.tflite (written in the browser by Transfer Studio), labels.txt.

Full-integer post-training quantization, for integer-only hardware (microcontrollers with
TFLite Micro, NPUs) and fast int8 CPU kernels: int8 activations, each with one scale and zero
point from the range it took on ${photos} of your training photos (calibration), int8 weights
(one scale per output channel for convolutions, one per tensor for the dense layers), int32 biases.
Its accuracy on your validation photos is shown in the app next to the float model's (Check int8
accuracy); expect it to differ from the float model on a few photos.

Input: [1, 224, 224, 3] uint8, RGB pixels 0-255 as they are (no scaling: the input's quantization,
scale ${scale.toPrecision(6)} and zero point ${zero}, reads them as about [${lo}, ${hi}]); a QUANTIZE op re-centres
them to int8.
Preprocess as the app does: apply EXIF orientation, take the largest centred square, resize it to
224x224 (smooth/bilinear), with transparent pixels flattened onto white.
Output: [1, ${labels.length}] float32 softmax probabilities (DEQUANTIZE of the int8 softmax, in steps of 1/256),
in labels.txt order. For an all-integer graph (Edge TPU compiler, TFLite Micro) read the int8 tensor
before the final DEQUANTIZE (scale 1/256, zero point -128).
Operators: QUANTIZE, CONV_2D, DEPTHWISE_CONV_2D, ADD, MEAN, FULLY_CONNECTED, SOFTMAX on int8, DEQUANTIZE.

Python (pip install ai-edge-litert, or tensorflow's tf.lite.Interpreter):
  import numpy as np
  from PIL import Image
  from ai_edge_litert.interpreter import Interpreter
  it = Interpreter(model_path='model.tflite'); it.allocate_tensors()
  img = Image.open('photo.jpg').convert('RGBA')
  img = Image.alpha_composite(Image.new('RGBA', img.size, 'white'), img).convert('RGB'); s = min(img.size)
  img = img.crop(((img.width - s) // 2, (img.height - s) // 2, (img.width + s) // 2, (img.height + s) // 2)).resize((224, 224), Image.BILINEAR)
  x = np.asarray(img, np.uint8)[None]
  it.set_tensor(it.get_input_details()[0]['index'], x); it.invoke()
  probs = it.get_tensor(it.get_output_details()[0]['index'])[0]
  labels = open('labels.txt').read().splitlines()

MediaPipe Tasks and the Android Task Library: model.tflite carries TFLite Model Metadata (the
labels packed into the file); with a uint8 input they pass the pixels as they are:
  const classifier = await ImageClassifier.createFromOptions(
    await FilesetResolver.forVisionTasks('<path to @mediapipe/tasks-vision/wasm>'),
    { baseOptions: { modelAssetPath: 'model.tflite' }, maxResults: 3 });
(MediaPipe resizes the whole image to 224x224 itself; crop it square first to match the app.)
`;
}
