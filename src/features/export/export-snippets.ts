/**
 * The few lines that load each export, shown in the Export panel next to its download (the zip's
 * README.txt has the whole preprocessing). Pure text: `range` is the backbone's input range.
 */
export type ExportFormat = 'tfjs' | 'tflite' | 'tflite-int8' | 'tflite-full-int8' | 'onnx';

/** The pixels of `v` (0..255) scaled to [lo, hi], as Python. */
function pyScaling([lo, hi]: readonly [number, number], v: string): string {
  if (lo === -1 && hi === 1) return `${v} / 127.5 - 1`;
  return `${v} * ${(hi - lo) / 255}${lo === 0 ? '' : ` + ${lo}`}`;
}

export function exportSnippet(format: ExportFormat, range: readonly [number, number]): string {
  const py = pyScaling(range, 'np.asarray(img, np.float32)');
  switch (format) {
    case 'tfjs':
      return `// <script src="tf.min.js"> (tfjs 4.x); img: a 224x224 centre crop (canvas, ImageData)
const model = await tf.loadLayersModel('model.json');
const { labels } = await (await fetch('metadata.json')).json();
const x = tf.browser.fromPixels(img).toFloat()${range[0] === -1 && range[1] === 1 ? '.div(127.5).sub(1)' : `.mul(${(range[1] - range[0]) / 255}).add(${range[0]})`}.expandDims(0);
const probs = await model.predict(x).data(); // in labels order`;
    case 'tflite':
    case 'tflite-int8':
      return `# pip install ai-edge-litert numpy pillow; img: a 224x224 RGB centre crop (PIL)
from ai_edge_litert.interpreter import Interpreter
import numpy as np
it = Interpreter(model_path='model.tflite'); it.allocate_tensors()
x = (${py})[None]
it.set_tensor(it.get_input_details()[0]['index'], x); it.invoke()
probs = it.get_tensor(it.get_output_details()[0]['index'])[0]  # labels.txt order`;
    case 'tflite-full-int8':
      return `# uint8 pixels in, as they are (the model's input quantization scales them)
from ai_edge_litert.interpreter import Interpreter
import numpy as np
it = Interpreter(model_path='model.tflite'); it.allocate_tensors()
x = np.asarray(img, np.uint8)[None]
it.set_tensor(it.get_input_details()[0]['index'], x); it.invoke()
probs = it.get_tensor(it.get_output_details()[0]['index'])[0]  # float32, labels.txt order`;
    case 'onnx':
      return `# pip install onnxruntime numpy pillow; img: a 224x224 RGB centre crop (PIL)
import numpy as np, onnxruntime as ort
session = ort.InferenceSession('model.onnx')
x = (${py})[None]  # NHWC
probs = session.run(['probabilities'], {'image': x})[0][0]  # labels.txt order`;
  }
}
