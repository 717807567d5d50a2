/** README.txt of the ONNX zip: the input contract and how to run the model (Python and Node). */
export function onnxReadme(modelLabel: string, labels: readonly string[], range: readonly [number, number]): string {
  const [lo, hi] = range;
  const scale = (hi - lo) / 255;
  return `Transfer Studio image classifier, ONNX
======================================
Model: ${modelLabel}. Classes, in output order (labels.txt, one a line): ${labels.join(', ')}.
Files: model.onnx (float32, opset 13, written in the browser by Transfer Studio), labels.txt.
The labels are also in the model's metadata_props ("labels", a JSON list), with "input_range".

Input "image": [N, 224, 224, 3] float32, RGB, channels last (NHWC, as in TensorFlow), values in
[${lo}, ${hi}]: ${lo === -1 && hi === 1 ? 'pixel / 127.5 - 1' : `pixel * ${scale} + ${lo}`} of the RGB bytes. (The model transposes to NCHW itself.)
Preprocess as the app does: apply EXIF orientation, take the largest centred square, resize it to
224x224 (smooth/bilinear), with transparent pixels flattened onto white.
Output "probabilities": [N, ${labels.length}] softmax probabilities, in labels.txt order.

Python (pip install onnxruntime numpy pillow):
  import numpy as np, onnxruntime as ort
  from PIL import Image, ImageOps
  session = ort.InferenceSession('model.onnx')
  labels = open('labels.txt', encoding='utf-8').read().splitlines()
  img = ImageOps.exif_transpose(Image.open('photo.jpg')).convert('RGBA')
  img = Image.alpha_composite(Image.new('RGBA', img.size, 'white'), img).convert('RGB'); s = min(img.size)
  img = img.crop(((img.width - s) // 2, (img.height - s) // 2, (img.width + s) // 2, (img.height + s) // 2)).resize((224, 224), Image.BILINEAR)
  x = (np.asarray(img, np.float32) * ${scale} + ${lo})[None]
  probs = session.run(['probabilities'], {'image': x})[0][0]
  print(labels[int(probs.argmax())], float(probs.max()))

Node (npm install onnxruntime-node), for 224x224 RGB bytes already cropped and resized as above:
  const ort = require('onnxruntime-node');
  const session = await ort.InferenceSession.create('model.onnx');
  const x = new ort.Tensor('float32', Float32Array.from(rgbBytes, (v) => v * ${scale} + ${lo}), [1, 224, 224, 3]);
  const probs = (await session.run({ image: x })).probabilities.data;
`;
}
