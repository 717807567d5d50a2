/**
 * Joins image -> embedding layers models that read the same image into ONE flat functional layers
 * model whose embedding is theirs side by side (the "most accurate" setting: MobileNetV2 1.0's
 * 1280 values, then MobileNetV1 0.75's 768). Flat, not nested: every layer of every part is
 * re-created under a prefixed name (both MobileNets have an `embedding` layer, several share
 * others), all parts read one shared InputLayer, and a Concatenate named `embedding` joins their
 * outputs. So the result saves, loads, passes topology-check.ts and lowers to TFLite like a
 * single backbone. The parts are left untouched (their weights are copied, not moved).
 */
import * as tf from '@tensorflow/tfjs';

/** One part: an image -> embedding layers model and the prefix its layers get in the joined model. */
export interface EmbedderPart {
  model: tf.LayersModel;
  prefix: string;
}

/** A reference to a layer's output in a model config: [layer name, node index, tensor index, call kwargs]. */
type NodeRef = [string, number, number, Record<string, unknown>?];

/** One layer of `Container.getConfig()` (tfjs' own, camelCase form, as `LayersModel.fromConfig` reads it). */
interface LayerEntry {
  name: string;
  className: string;
  config: tf.serialization.ConfigDict;
  inboundNodes: NodeRef[][];
}

interface ModelConfig {
  name: string;
  layers: LayerEntry[];
  inputLayers: NodeRef[];
  outputLayers: NodeRef[];
}

/** The name of the shared image input and of the joined embedding. */
const INPUT_NAME = 'image';
const OUTPUT_NAME = 'embedding';
const NESTED = new Set(['Model', 'Functional', 'Sequential']);

/** A part's layers renamed (`${prefix}${name}`, its input layer -> INPUT_NAME), and its output reference. */
function renamedLayers(part: EmbedderPart): { input: LayerEntry; layers: LayerEntry[]; output: NodeRef } {
  const { model, prefix } = part;
  if (model.inputs.length !== 1 || model.outputs.length !== 1) throw new Error(`joinEmbedders: part ${prefix} must have one input and one output`);
  const config = model.getConfig() as unknown as ModelConfig;
  const [inRef] = config.inputLayers;
  const [outRef] = config.outputLayers;
  if (!inRef || !outRef) throw new Error(`joinEmbedders: part ${prefix} has no input or output layer`);
  const rename = (name: string) => (name === inRef[0] ? INPUT_NAME : `${prefix}${name}`);
  let input: LayerEntry | null = null;
  const layers: LayerEntry[] = [];
  for (const l of config.layers) {
    if (NESTED.has(l.className)) throw new Error(`joinEmbedders: layer ${l.name} of part ${prefix} is a nested model; only flat models can be joined`);
    const name = rename(l.name);
    // A shallow copy of the layer's config: `fromConfig` adds its own keys to it.
    const entry: LayerEntry = {
      name,
      className: l.className,
      config: { ...l.config, name },
      inboundNodes: l.inboundNodes.map((node) => node.map(([from, nodeIndex, tensorIndex, kwargs]): NodeRef => [rename(from), nodeIndex, tensorIndex, kwargs ?? {}])),
    };
    if (l.className === 'InputLayer') input = entry;
    else layers.push(entry);
  }
  if (!input) throw new Error(`joinEmbedders: part ${prefix} has no InputLayer`);
  return { input, layers, output: [rename(outRef[0]), outRef[1], outRef[2], {}] };
}

/**
 * One flat layers model from the shared image input to the parts' outputs concatenated on the
 * last axis (in `parts` order), named `name`; its last layer is a Concatenate named `embedding`.
 * Layer `l` of the part with prefix `p` is layer `${p}${l.name}` here, with `l`'s weights.
 */
export function joinEmbedders(parts: readonly EmbedderPart[], name: string): tf.LayersModel {
  if (parts.length < 2) throw new Error('joinEmbedders: at least two parts are needed');
  const renamed = parts.map(renamedLayers);
  const shapes = parts.map((p) => JSON.stringify((p.model.inputs[0] as tf.SymbolicTensor).shape));
  if (new Set(shapes).size !== 1) throw new Error(`joinEmbedders: the parts take different inputs (${shapes.join(' / ')})`);
  const [first] = renamed;
  if (!first) throw new Error('joinEmbedders: no parts');
  const concat: LayerEntry = {
    name: OUTPUT_NAME,
    className: 'Concatenate',
    config: { axis: -1, name: OUTPUT_NAME, trainable: true },
    inboundNodes: [renamed.map((r) => r.output)],
  };
  const layers = [first.input, ...renamed.flatMap((r) => r.layers), concat];
  const names = new Set<string>();
  for (const l of layers) {
    if (names.has(l.name)) throw new Error(`joinEmbedders: two layers would be named ${l.name} (give the parts distinct prefixes)`);
    names.add(l.name);
  }
  const config: ModelConfig = { name, layers, inputLayers: [[INPUT_NAME, 0, 0]], outputLayers: [[OUTPUT_NAME, 0, 0]] };
  // fastWeightInit: the layers start at zeros (no random initialisation) since every weight is copied below.
  const joined = tf.LayersModel.fromConfig(tf.LayersModel, config as unknown as tf.serialization.ConfigDict, {}, true);
  if (!(joined instanceof tf.LayersModel)) throw new Error('joinEmbedders: tfjs did not build a layers model');
  // Per layer, not model.setWeights: a model lists all trainable weights before the non-trainable ones.
  for (const { model, prefix } of parts) {
    for (const layer of model.layers) {
      if (layer.getClassName() === 'InputLayer') continue;
      joined.getLayer(`${prefix}${layer.name}`).setWeights(layer.getWeights());
    }
  }
  return joined;
}
