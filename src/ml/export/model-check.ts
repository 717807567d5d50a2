/**
 * Validates a layers model given as model.json text and the length of its weights, before tfjs
 * sees it: the JSON's structure, every declared weight's shape and byte size against the weight
 * bytes actually present, and the topology (topology-check.ts) against the declared weights.
 */
import { ModelCheckError } from './model-check-error';
import { checkTopology, TOPOLOGY_LIMITS, type Shape } from './topology-check';

/** Largest model.json text accepted (ours are ~100 KB; Teachable Machine's ~200 KB). */
export const MAX_MODEL_JSON_BYTES = 32 * 1024 * 1024;
/** Largest weights file accepted. */
export const MAX_WEIGHT_BYTES = 4 * TOPOLOGY_LIMITS.maxParams;
/** The input every opened classifier must take: a batch of 224x224 RGB images. */
export const EXPECTED_INPUT: Shape = [null, 224, 224, 3];

/** One weight as model.json's weightsManifest declares it (tfjs' WeightsManifestEntry subset). */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool';
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; scale?: number; min?: number };
}

/** A model.json that passed every check, ready for tf.io.fromMemory. */
export interface CheckedModel {
  modelTopology: Record<string, unknown>;
  weightSpecs: WeightSpec[];
  /** Weight file names in manifest order (their bytes are concatenated). */
  paths: string[];
  numClasses: number;
  params: number;
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };
const QUANT_BYTES: Record<string, number> = { uint8: 1, uint16: 2, float16: 2 };

function fail(message: string): never {
  throw new ModelCheckError(message);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const show = (shape: Shape) => `[${shape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;

function checkSpec(w: unknown, i: number): { spec: WeightSpec; bytes: number; count: number } {
  if (!isObject(w) || typeof w.name !== 'string' || !Array.isArray(w.shape) || typeof w.dtype !== 'string') fail(`Weight ${i + 1} in model.json's weightsManifest needs a name, a shape and a dtype`);
  const name = w.name.slice(0, 120);
  if (w.shape.length > 6 || !w.shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0 && d <= TOPOLOGY_LIMITS.maxParams)) fail(`Weight ${name} has an invalid shape ${JSON.stringify(w.shape).slice(0, 60)}`);
  const shape = w.shape as number[];
  const count = shape.reduce((n, d) => n * d, 1);
  if (count > TOPOLOGY_LIMITS.maxParams) fail(`Weight ${name} declares ${count} values, more than the app accepts`);
  const dtypeBytes = DTYPE_BYTES[w.dtype];
  if (dtypeBytes === undefined) fail(`Weight ${name} has dtype ${w.dtype.slice(0, 20)}; expected float32, int32 or bool`);
  let perValue = dtypeBytes;
  if (w.quantization !== undefined) {
    const q = w.quantization;
    const qBytes = isObject(q) && typeof q.dtype === 'string' ? QUANT_BYTES[q.dtype] : undefined;
    if (qBytes === undefined) fail(`Weight ${name} has an unknown quantization`);
    perValue = qBytes;
  }
  const spec: WeightSpec = { name: w.name, shape, dtype: w.dtype as WeightSpec['dtype'], ...(w.quantization !== undefined ? { quantization: w.quantization as WeightSpec['quantization'] } : {}) };
  return { spec, bytes: count * perValue, count };
}

/** Parses and checks model.json against `weightBytes` bytes of weights; throws ModelCheckError. */
export function checkModelJson(text: string, weightBytes: number): CheckedModel {
  if (text.length > MAX_MODEL_JSON_BYTES) fail(`model.json is ${text.length} bytes; the app opens model.json files up to ${MAX_MODEL_JSON_BYTES} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    fail(`model.json is not valid JSON (${(error as Error).message.slice(0, 120)}). Expected the model.json of a TensorFlow.js layers model.`);
  }
  if (!isObject(json)) fail('model.json must be a JSON object with modelTopology and weightsManifest');
  if (json.format === 'graph-model' || (isObject(json.modelTopology) && 'node' in json.modelTopology)) fail('This model.json is a TensorFlow.js graph model; the app opens layers models (format "layers-model", as the app and Teachable Machine export).');
  if (json.format !== undefined && json.format !== 'layers-model') fail(`model.json has format ${JSON.stringify(json.format).slice(0, 40)}; expected "layers-model"`);
  if (!isObject(json.modelTopology)) fail('model.json has no modelTopology: expected the model.json of a TensorFlow.js layers model');
  const manifest = json.weightsManifest;
  if (!Array.isArray(manifest) || manifest.length === 0 || manifest.length > 1000) fail('model.json has no weightsManifest: expected a list of weight groups with paths and weights');
  const specs: WeightSpec[] = [];
  const paths: string[] = [];
  let bytes = 0;
  let params = 0;
  for (const group of manifest) {
    if (!isObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) fail('A weightsManifest group needs "paths" and "weights" lists');
    for (const p of group.paths) {
      if (typeof p !== 'string' || p.length > 200) fail('A weight file path in model.json is not a short text');
      paths.push(p);
    }
    for (const w of group.weights) {
      if (specs.length >= 10_000) fail('model.json declares more than 10,000 weights');
      const checked = checkSpec(w, specs.length);
      specs.push(checked.spec);
      bytes += checked.bytes;
      params += checked.count;
    }
  }
  if (params > TOPOLOGY_LIMITS.maxParams) fail(`model.json declares ${params} weight values; the app opens models up to ${TOPOLOGY_LIMITS.maxParams}`);
  if (bytes !== weightBytes) {
    fail(`The weights are ${weightBytes} bytes but model.json declares ${bytes} bytes of weights. ${weightBytes < bytes ? 'weights.bin is truncated or belongs to another model.' : 'weights.bin belongs to another model.'}`);
  }
  const topology = checkTopology(json.modelTopology);
  if (show(topology.inputShape) !== show(EXPECTED_INPUT)) fail(`The model takes input ${show(topology.inputShape)}; the app feeds ${show(EXPECTED_INPUT)} (224x224 RGB photos).`);
  const [batch, classes, ...rest] = topology.outputShape;
  if (batch !== null || typeof classes !== 'number' || rest.length > 0 || classes < 1) fail(`The model outputs ${show(topology.outputShape)}; expected [null, number of classes]`);
  if (topology.params !== params) fail(`The model's layers need ${topology.params} weight values but weightsManifest declares ${params}: model.json is inconsistent.`);
  return { modelTopology: json.modelTopology, weightSpecs: specs, paths, numClasses: classes, params };
}
