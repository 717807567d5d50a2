/**
 * TensorFlow Lite Model Metadata (tflite-support's metadata_schema.fbs, file identifier "M001")
 * for an image classifier: what MediaPipe Tasks' ImageClassifier and Android's Task Library
 * read to use a model as is. Input: an RGB image tensor with NormalizationOptions (mean/std that
 * give the backbone's range); output: probabilities with the labels as a TENSOR_AXIS_LABELS
 * associated file, which `packAssociatedFiles` appends to the .tflite file as a zip archive.
 * Built with Google's flatbuffers runtime, children first. No tfjs here.
 */
import { Builder } from 'flatbuffers';
import { offsetVector as offsets } from './write-flatbuffer';

/** The Model.metadata entry name tflite-support and MediaPipe look for. */
export const TFLITE_METADATA = 'TFLITE_METADATA';
/** The labels file packed into the model (one label a line, output order). */
export const LABELS_FILE = 'labels.txt';

/** Union tags and enums of metadata_schema.fbs. */
const CONTENT_FEATURE = 1;
const CONTENT_IMAGE = 2;
const PROCESS_NORMALIZATION = 1;
const COLOR_RGB = 1;
const FILE_TENSOR_AXIS_LABELS = 2;

export interface ClassifierMetadata {
  name: string;
  description: string;
  version: string;
  author: string;
  license: string;
  /** The image side the model takes (224). */
  imageSize: number;
  /** The range the model expects RGB in; [-1, 1] is mean 127.5, std 127.5 on [0, 255] bytes. */
  inputRange: readonly [number, number];
  classes: number;
  /** uint8: the full-integer model, which takes the pixels as they are (its input quantization does the scaling). */
  inputType?: 'float32' | 'uint8';
}

/** (x - mean) / std maps [0, 255] to [lo, hi]: std = 255 / (hi - lo), mean = -lo * std. */
export function normalizationFor([lo, hi]: readonly [number, number]): { mean: number; std: number } {
  const std = 255 / (hi - lo);
  return { mean: -lo * std, std };
}

function floats(b: Builder, values: readonly number[]): number {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addFloat32(values[i] as number);
  return b.endVector();
}

/** The ModelMetadata flatbuffer (bytes of the TFLITE_METADATA buffer). */
export function classifierMetadata(m: ClassifierMetadata): Uint8Array {
  const b = new Builder(1024);
  const { mean, std } = normalizationFor(m.inputRange);

  // Input: image properties + normalization.
  b.startObject(2); // ImageSize
  b.addFieldInt32(0, m.imageSize, 0);
  b.addFieldInt32(1, m.imageSize, 0);
  const size = b.endObject();
  b.startObject(2); // ImageProperties
  b.addFieldInt8(0, COLOR_RGB, 0);
  b.addFieldOffset(1, size, 0);
  const imageProps = b.endObject();
  b.startObject(3); // Content
  b.addFieldInt8(0, CONTENT_IMAGE, 0);
  b.addFieldOffset(1, imageProps, 0);
  const imageContent = b.endObject();
  const meanVec = floats(b, [mean]);
  const stdVec = floats(b, [std]);
  b.startObject(2); // NormalizationOptions
  b.addFieldOffset(0, meanVec, 0);
  b.addFieldOffset(1, stdVec, 0);
  const norm = b.endObject();
  b.startObject(2); // ProcessUnit
  b.addFieldInt8(0, PROCESS_NORMALIZATION, 0);
  b.addFieldOffset(1, norm, 0);
  const unit = b.endObject();
  const inputStatsMax = floats(b, [255]);
  const inputStatsMin = floats(b, [0]);
  b.startObject(2); // Stats (of the image before normalization)
  b.addFieldOffset(0, inputStatsMax, 0);
  b.addFieldOffset(1, inputStatsMin, 0);
  const inputStats = b.endObject();
  const inputName = b.createString('image');
  const inputDescription = b.createString(
    m.inputType === 'uint8'
      ? `RGB image, ${m.imageSize}x${m.imageSize}, uint8 pixels 0-255 as they are (the input tensor's quantization scales them to about [${m.inputRange[0]}, ${m.inputRange[1]}])`
      : `RGB image, ${m.imageSize}x${m.imageSize}, values (pixel - ${mean}) / ${std}, i.e. in [${m.inputRange[0]}, ${m.inputRange[1]}]`,
  );
  const units = offsets(b, [unit]);
  b.startObject(7); // TensorMetadata
  b.addFieldOffset(0, inputName, 0);
  b.addFieldOffset(1, inputDescription, 0);
  b.addFieldOffset(3, imageContent, 0);
  b.addFieldOffset(4, units, 0);
  b.addFieldOffset(5, inputStats, 0);
  const input = b.endObject();

  // Output: probabilities, labels file.
  b.startObject(0); // FeatureProperties
  const feature = b.endObject();
  b.startObject(3); // Content
  b.addFieldInt8(0, CONTENT_FEATURE, 0);
  b.addFieldOffset(1, feature, 0);
  const featureContent = b.endObject();
  const labelsName = b.createString(LABELS_FILE);
  const labelsDescription = b.createString('Class names, one a line, in output order.');
  b.startObject(4); // AssociatedFile
  b.addFieldOffset(0, labelsName, 0);
  b.addFieldOffset(1, labelsDescription, 0);
  b.addFieldInt8(2, FILE_TENSOR_AXIS_LABELS, 0);
  const labels = b.endObject();
  const outputStatsMax = floats(b, [1]);
  const outputStatsMin = floats(b, [0]);
  b.startObject(2); // Stats
  b.addFieldOffset(0, outputStatsMax, 0);
  b.addFieldOffset(1, outputStatsMin, 0);
  const outputStats = b.endObject();
  const outputName = b.createString('probability');
  const outputDescription = b.createString(`Probabilities of the ${m.classes} classes (softmax), in ${LABELS_FILE} order.`);
  const files = offsets(b, [labels]);
  b.startObject(7); // TensorMetadata
  b.addFieldOffset(0, outputName, 0);
  b.addFieldOffset(1, outputDescription, 0);
  b.addFieldOffset(3, featureContent, 0);
  b.addFieldOffset(5, outputStats, 0);
  b.addFieldOffset(6, files, 0);
  const output = b.endObject();

  const inputs = offsets(b, [input]);
  const outputs = offsets(b, [output]);
  b.startObject(7); // SubGraphMetadata
  b.addFieldOffset(2, inputs, 0);
  b.addFieldOffset(3, outputs, 0);
  const subgraph = b.endObject();

  const subgraphs = offsets(b, [subgraph]);
  const name = b.createString(m.name);
  const description = b.createString(m.description);
  const version = b.createString(m.version);
  const author = b.createString(m.author);
  const license = b.createString(m.license);
  const minParser = b.createString('1.0.0');
  b.startObject(8); // ModelMetadata
  b.addFieldOffset(0, name, 0);
  b.addFieldOffset(1, description, 0);
  b.addFieldOffset(2, version, 0);
  b.addFieldOffset(3, subgraphs, 0);
  b.addFieldOffset(4, author, 0);
  b.addFieldOffset(5, license, 0);
  b.addFieldOffset(7, minParser, 0);
  const root = b.endObject();
  b.finish(root, 'M001');
  return b.asUint8Array().slice();
}
