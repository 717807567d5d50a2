/**
 * Checks a layers-model topology (the `modelTopology` of a model.json) WITHOUT tfjs: only layer
 * kinds we know, shapes inferred layer by layer, and the number of weights each layer would
 * create counted from its config. So a hostile or broken model.json is refused before tfjs
 * builds anything (building allocates every weight the config declares).
 */
import { ModelCheckError } from './model-check-error';

/** A tensor shape; the batch dimension is null. */
export type Shape = (number | null)[];

/** What the topology declares: its input and output shapes and how many weight values it needs. */
export interface TopologySummary {
  inputShape: Shape;
  outputShape: Shape;
  /** Weight values (all layers, trainable or not) the model creates when built. */
  params: number;
  layerCount: number;
}

/** Bounds on what a topology may declare. */
export const TOPOLOGY_LIMITS = {
  /** Layers, counting those of nested models. */
  maxLayers: 2000,
  /** Values of one layer's output for one image (224x224x1280 is 64M). */
  maxActivation: 80_000_000,
  /** Any one size in a config: units, filters, kernel side, stride... */
  maxSize: 65_536,
  /** Weight values in all. */
  maxParams: 64_000_000,
  /** Nested models inside nested models. */
  maxDepth: 8,
};

type Json = Record<string, unknown>;

const SAME_SHAPE = new Set([
  'Activation', 'ReLU', 'LeakyReLU', 'ELU', 'Softmax', 'ThresholdedReLU',
  'Dropout', 'SpatialDropout2D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout', 'Rescaling',
]);
const MERGE = new Set(['Add', 'Multiply', 'Average', 'Maximum', 'Minimum', 'Subtract']);
const NESTED = new Set(['Sequential', 'Model', 'Functional']);

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(message: string): never {
  throw new ModelCheckError(message);
}

/** A positive whole number no larger than TOPOLOGY_LIMITS.maxSize. */
function size(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > TOPOLOGY_LIMITS.maxSize) fail(`${what} must be a whole number up to ${TOPOLOGY_LIMITS.maxSize}; found ${JSON.stringify(v)?.slice(0, 40)}`);
  return v;
}

/** A pair from `n` or `[a, b]`. */
function pair(v: unknown, what: string, fallback?: [number, number]): [number, number] {
  if (v === undefined || v === null) {
    if (fallback) return fallback;
    fail(`${what} is missing`);
  }
  if (typeof v === 'number') return [size(v, what), size(v, what)];
  if (Array.isArray(v) && v.length === 2) return [size(v[0], what), size(v[1], what)];
  return fail(`${what} must be a number or two numbers`);
}

function elements(shape: Shape): number {
  return shape.slice(1).reduce<number>((n, d) => n * (d ?? 1), 1);
}

function channelsLast(config: Json, layer: string): void {
  const format = config.data_format;
  if (format !== undefined && format !== null && format !== 'channels_last') fail(`Layer ${layer}: only channels_last images are supported; found ${String(format)}`);
}

function spatial(n: number | null, kernel: number, stride: number, dilation: number, padding: unknown, layer: string): number | null {
  if (n === null) return null;
  const effective = (kernel - 1) * dilation + 1;
  if (padding === 'same') return Math.ceil(n / stride);
  if (padding === 'valid' || padding === undefined) {
    const out = Math.floor((n - effective) / stride) + 1;
    if (out < 1) fail(`Layer ${layer}: its ${kernel}x${kernel} window does not fit a ${n}-pixel input`);
    return out;
  }
  return fail(`Layer ${layer}: padding must be "same" or "valid"; found ${JSON.stringify(padding)}`);
}

function image(shape: Shape, layer: string): [number | null, number | null, number] {
  const [, h, w, c] = shape;
  if (shape.length !== 4 || typeof c !== 'number' || h === undefined || w === undefined) fail(`Layer ${layer} needs an image input [batch, height, width, channels]; found [${shape.join(', ')}]`);
  return [h, w, c];
}

/** Output shape and weight count of one (non-nested) layer. */
function simpleLayer(kind: string, config: Json, inputs: Shape[], layer: string): { shape: Shape; params: number } {
  const [x] = inputs;
  if (!x) fail(`Layer ${layer} has no input`);
  if (SAME_SHAPE.has(kind)) return { shape: x, params: 0 };
  if (MERGE.has(kind)) {
    if (inputs.some((s) => s.join() !== x.join())) fail(`Layer ${layer} merges tensors of different shapes`);
    return { shape: x, params: 0 };
  }
  const bias = config.use_bias !== false;
  switch (kind) {
    case 'Dense': {
      const units = size(config.units, `Layer ${layer} units`);
      const last = x.at(-1);
      if (typeof last !== 'number') fail(`Layer ${layer}: its input's last dimension is unknown`);
      return { shape: [...x.slice(0, -1), units], params: last * units + (bias ? units : 0) };
    }
    case 'Conv2D':
    case 'DepthwiseConv2D':
    case 'SeparableConv2D': {
      channelsLast(config, layer);
      const [h, w, c] = image(x, layer);
      const [kh, kw] = pair(config.kernel_size, `Layer ${layer} kernel_size`);
      const [sh, sw] = pair(config.strides, `Layer ${layer} strides`, [1, 1]);
      const [dh, dw] = pair(config.dilation_rate, `Layer ${layer} dilation_rate`, [1, 1]);
      if (!sh || !sw || !dh || !dw || !kh || !kw) fail(`Layer ${layer}: kernel, strides and dilation must be at least 1`);
      const out = [null, spatial(h, kh, sh, dh, config.padding, layer), spatial(w, kw, sw, dw, config.padding, layer)];
      if (kind === 'Conv2D') {
        const filters = size(config.filters, `Layer ${layer} filters`);
        return { shape: [...out, filters], params: kh * kw * c * filters + (bias ? filters : 0) };
      }
      const multiplier = size(config.depth_multiplier ?? 1, `Layer ${layer} depth_multiplier`);
      if (kind === 'DepthwiseConv2D') return { shape: [...out, c * multiplier], params: kh * kw * c * multiplier + (bias ? c * multiplier : 0) };
      const filters = size(config.filters, `Layer ${layer} filters`);
      return { shape: [...out, filters], params: kh * kw * c * multiplier + c * multiplier * filters + (bias ? filters : 0) };
    }
    case 'BatchNormalization': {
      const axis = Array.isArray(config.axis) && config.axis.length === 1 ? config.axis[0] : config.axis;
      if (axis !== -1 && axis !== x.length - 1 && axis !== undefined) fail(`Layer ${layer}: only the last axis can be normalised`);
      const c = x.at(-1);
      if (typeof c !== 'number') fail(`Layer ${layer}: its input's last dimension is unknown`);
      return { shape: x, params: c * (2 + (config.center !== false ? 1 : 0) + (config.scale !== false ? 1 : 0)) };
    }
    case 'ZeroPadding2D': {
      const [h, w, c] = image(x, layer);
      const p = config.padding;
      let rows: [number, number];
      let cols: [number, number];
      if (Array.isArray(p) && Array.isArray(p[0])) {
        rows = pair(p[0], `Layer ${layer} padding`);
        cols = pair(p[1], `Layer ${layer} padding`);
      } else {
        const [a, b] = pair(p, `Layer ${layer} padding`, [1, 1]);
        rows = [a, a];
        cols = [b, b];
      }
      return { shape: [null, h === null ? null : h + rows[0] + rows[1], w === null ? null : w + cols[0] + cols[1], c], params: 0 };
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      channelsLast(config, layer);
      const [h, w, c] = image(x, layer);
      const [ph, pw] = pair(config.pool_size, `Layer ${layer} pool_size`, [2, 2]);
      const [sh, sw] = pair(config.strides, `Layer ${layer} strides`, [ph, pw]);
      if (!ph || !pw || !sh || !sw) fail(`Layer ${layer}: pool size and strides must be at least 1`);
      return { shape: [null, spatial(h, ph, sh, 1, config.padding, layer), spatial(w, pw, sw, 1, config.padding, layer), c], params: 0 };
    }
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D': {
      channelsLast(config, layer);
      const [, , c] = image(x, layer);
      return { shape: [null, c], params: 0 };
    }
    case 'Flatten':
      if (x.slice(1).some((d) => d === null)) fail(`Layer ${layer}: cannot flatten an input of unknown size`);
      return { shape: [null, elements(x)], params: 0 };
    case 'Reshape': {
      const target = config.target_shape;
      if (!Array.isArray(target) || target.length === 0 || target.length > 6) fail(`Layer ${layer}: target_shape must list 1 to 6 sizes`);
      const dims = target.map((d) => (d === -1 ? -1 : size(d, `Layer ${layer} target_shape`)));
      const known = dims.filter((d) => d !== -1).reduce((n, d) => n * d, 1);
      const total = elements(x);
      const free = dims.filter((d) => d === -1).length;
      if (free > 1 || (free === 0 && known !== total) || (free === 1 && (known === 0 || total % known !== 0))) fail(`Layer ${layer}: cannot reshape ${total} values to [${dims.join(', ')}]`);
      return { shape: [null, ...dims.map((d) => (d === -1 ? total / known : d))], params: 0 };
    }
    case 'Concatenate': {
      const axis = typeof config.axis === 'number' ? config.axis : -1;
      const at = axis < 0 ? x.length + axis : axis;
      if (at < 1 || at >= x.length) fail(`Layer ${layer}: bad axis ${axis}`);
      let sum = 0;
      for (const s of inputs) {
        if (s.length !== x.length || s.some((d, i) => i !== at && d !== x[i])) fail(`Layer ${layer} joins tensors whose shapes do not match`);
        const d = s[at];
        if (typeof d !== 'number') fail(`Layer ${layer}: unknown size on the joined axis`);
        sum += d;
      }
      return { shape: x.map((d, i) => (i === at ? sum : d)), params: 0 };
    }
    default:
      return fail(`Layer ${layer} is a ${kind.slice(0, 60)}, which the app does not load (it opens image classifiers built from standard Keras layers)`);
  }
}

/** Walks one model config (Sequential or functional), recursively. */
class Walker {
  layerCount = 0;
  params = 0;

  /** Output shape of a model config given its input shape (null: use the model's declared input). */
  model(kind: string, config: unknown, input: Shape | null, depth: number): { input: Shape; output: Shape } {
    if (depth > TOPOLOGY_LIMITS.maxDepth) fail('The model nests models too deeply');
    if (kind === 'Sequential') {
      const layers = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
      if (!Array.isArray(layers) || layers.length === 0) fail('A Sequential model has no layers');
      let shape = input;
      let first: Shape | null = input;
      for (const l of layers) {
        const { name, kind: k, config: c } = this.describe(l);
        if (shape === null && NESTED.has(k)) {
          // The first layer is a model of its own (Teachable Machine exports): it declares the input.
          const inner = this.model(k, c, null, depth + 1);
          first = inner.input;
          shape = inner.output;
          continue;
        }
        if (shape === null) {
          shape = declaredInput(c, name);
          first = shape;
          if (k === 'InputLayer') continue;
        }
        shape = this.layer(k, c, [shape], name, depth);
      }
      if (!first || !shape) fail('A Sequential model has no input shape');
      return { input: first, output: shape };
    }
    if (!isObject(config) || !Array.isArray(config.layers)) fail('The model config has no layers');
    return this.functional(config, input, depth);
  }

  private describe(l: unknown): { name: string; kind: string; config: Json; inbound: unknown } {
    if (!isObject(l) || typeof l.class_name !== 'string' || !isObject(l.config)) fail('A layer has no class_name or config');
    if (++this.layerCount > TOPOLOGY_LIMITS.maxLayers) fail(`The model has more than ${TOPOLOGY_LIMITS.maxLayers} layers`);
    const name = typeof l.name === 'string' ? l.name : typeof l.config.name === 'string' ? l.config.name : `#${this.layerCount}`;
    return { name: name.slice(0, 80), kind: l.class_name, config: l.config, inbound: l.inbound_nodes };
  }

  private layer(kind: string, config: Json, inputs: Shape[], name: string, depth: number): Shape {
    if (NESTED.has(kind)) {
      const [x] = inputs;
      if (!x) fail(`Model ${name} has no input`);
      return this.model(kind, config, x, depth + 1).output;
    }
    if (kind === 'InputLayer') fail(`Input layer ${name} is used as a layer`);
    const { shape, params } = simpleLayer(kind, config, inputs, name);
    if (elements(shape) > TOPOLOGY_LIMITS.maxActivation) fail(`Layer ${name} would output ${elements(shape)} values per image (the limit is ${TOPOLOGY_LIMITS.maxActivation})`);
    this.params += params;
    if (this.params > TOPOLOGY_LIMITS.maxParams) fail(`The model declares over ${TOPOLOGY_LIMITS.maxParams} weights`);
    return shape;
  }

  private functional(config: Json, input: Shape | null, depth: number): { input: Shape; output: Shape } {
    const layers = (config.layers as unknown[]).map((l) => this.describe(l));
    const inputs = refs(config.input_layers, 'input_layers');
    const outputs = refs(config.output_layers, 'output_layers');
    if (inputs.length !== 1 || outputs.length !== 1) fail(`The model must have one input and one output; it has ${inputs.length} and ${outputs.length}`);
    const byName = new Map(layers.map((l) => [l.name, l]));
    if (byName.size !== layers.length) fail('Two layers share a name');
    const known = new Map<string, Shape>();
    const counted = new Set<string>();
    const [inRef] = inputs;
    const inLayer = inRef && byName.get(inRef[0]);
    if (!inRef || !inLayer || inLayer.kind !== 'InputLayer') fail('The model input is not an InputLayer');
    const modelInput = input ?? declaredInput(inLayer.config, inLayer.name);
    known.set(`${inLayer.name}#0`, modelInput);
    // Layers are listed in an order where inputs usually come first; loop until nothing changes.
    let progress = true;
    while (progress) {
      progress = false;
      for (const l of layers) {
        if (l.kind === 'InputLayer') continue;
        const nodes = l.inbound;
        if (!Array.isArray(nodes) || nodes.length === 0 || nodes.length > 64) fail(`Layer ${l.name} has no inputs`);
        nodes.forEach((node, n) => {
          const key = `${l.name}#${n}`;
          if (known.has(key)) return;
          const from = refs(node, `inputs of ${l.name}`).map(([name, index]) => known.get(`${name}#${index}`));
          if (from.some((s) => s === undefined)) return;
          // Only the first call of a layer creates its weights; later calls share them.
          const before = this.params;
          const shape = this.layer(l.kind, l.config, from as Shape[], l.name, depth);
          if (counted.has(l.name)) this.params = before;
          counted.add(l.name);
          known.set(key, shape);
          progress = true;
        });
      }
    }
    const [outRef] = outputs;
    const out = outRef && known.get(`${outRef[0]}#${outRef[1]}`);
    if (!out) fail('The model output cannot be reached from its input');
    return { input: modelInput, output: out };
  }
}

/** The `batch_input_shape` of a first layer. */
function declaredInput(config: Json, name: string): Shape {
  const s = config.batch_input_shape ?? config.batchInputShape;
  if (!Array.isArray(s) || s.length < 2 || s.length > 5) fail(`Layer ${name} declares no input shape`);
  return s.map((d, i) => (d === null && i === 0 ? null : d === null ? null : size(d, `Input size of ${name}`)));
}

/** `[[name, nodeIndex, tensorIndex, ...], ...]` references. */
function refs(v: unknown, what: string): [string, number][] {
  if (!Array.isArray(v) || v.length > 64) fail(`${what} is not a list of layer references`);
  // A single reference ["name", 0, 0] is also allowed.
  const list = typeof v[0] === 'string' ? [v] : v;
  return list.map((r: unknown) => {
    if (!Array.isArray(r) || typeof r[0] !== 'string' || typeof r[1] !== 'number' || (r[2] !== undefined && r[2] !== 0)) fail(`${what} has a malformed layer reference`);
    return [r[0], r[1]] as [string, number];
  });
}

/** Checks a model topology and returns what it declares; throws ModelCheckError with a plain message. */
export function checkTopology(topology: unknown): TopologySummary {
  if (!isObject(topology)) fail('model.json has no modelTopology object');
  const root = isObject(topology.model_config) ? topology.model_config : topology;
  if (typeof root.class_name !== 'string' || !NESTED.has(root.class_name)) fail(`modelTopology must describe a Sequential or functional model; found ${JSON.stringify(root.class_name)?.slice(0, 40)}`);
  const walker = new Walker();
  const { input, output } = walker.model(root.class_name, root.config, null, 0);
  return { inputShape: input, outputShape: output, params: walker.params, layerCount: walker.layerCount };
}
