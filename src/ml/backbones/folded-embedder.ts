/**
 * The frozen backbone as a few large kernels: the embedding model is lowered once, at load, to
 * the graph the TFLite exporter writes (BatchNorm folded into the convolutions' weights and
 * biases, ReLU/ReLU6 fused), and that graph runs on tfjs' fused kernels (`tf.fused.conv2d`,
 * `tf.fused.depthwiseConv2d`: convolution + bias + activation in one kernel). tfjs-layers runs
 * the same network as up to four kernels a layer (convolution, bias, BatchNorm, activation; it
 * fuses neither ReLU6 nor depthwise convolutions). Same embeddings within float rounding.
 */
import * as tf from '@tensorflow/tfjs';
import { toTfliteGraph } from '../export/tflite/to-tflite';
import type { FusedActivation, TfliteGraph } from '../export/tflite/graph';

type Activation = 'linear' | 'relu' | 'relu6';
const activationOf = (a: FusedActivation): Activation => (a === 'RELU' ? 'relu' : a === 'RELU6' ? 'relu6' : 'linear');

/** One step of the compiled graph: reads activations by index, writes one. */
type Step = (values: Map<number, tf.Tensor>) => tf.Tensor;

/** A compiled step: its output, and the activations no later step reads (freed right after it). */
interface CompiledStep {
  out: number;
  run: Step;
  lastReadOf: number[];
}

/** The image -> embedding model as the TFLite exporter lowers it: BatchNorm folded, activations fused. */
export async function foldedGraph(model: tf.LayersModel): Promise<TfliteGraph> {
  const size = (model.outputs[0]?.shape[1] as number | null) ?? 0;
  return toTfliteGraph({ embedder: model, head: null, labels: Array.from({ length: size }, (_, i) => String(i)), description: '' });
}

export class FoldedEmbedder {
  private constructor(
    private readonly steps: CompiledStep[],
    private readonly input: number,
    private readonly output: number,
    private readonly constants: tf.Tensor[],
  ) {}

  /** Lowers an image -> embedding layers model (the model itself is not changed). */
  static async fromModel(model: tf.LayersModel): Promise<FoldedEmbedder> {
    return FoldedEmbedder.compile(await foldedGraph(model));
  }

  /** Compiles a graph from `foldedGraph` into tfjs kernels. */
  static compile(graph: TfliteGraph): FoldedEmbedder {
    const constants: tf.Tensor[] = [];
    const constant = (t: tf.Tensor) => {
      constants.push(tf.keep(t));
      return t;
    };
    const data = (i: number | undefined) => {
      const t = graph.tensors[i ?? -1];
      if (!t?.data || t.type === 'int8') throw new Error(`Folded backbone: tensor ${i} has no float constant`);
      return t;
    };
    const read = (values: Map<number, tf.Tensor>, i: number | undefined) => {
      const v = values.get(i ?? -1);
      if (!v) throw new Error(`Folded backbone: activation ${i} read before it is written`);
      return v;
    };
    const steps: { out: number; run: Step; reads: number[] }[] = [];
    const isActivation = (i: number) => !graph.tensors[i]?.data;
    tf.tidy(() => {
      for (const op of graph.ops) {
        const [a, b, c] = op.inputs;
        const o = op.options;
        const out = op.outputs[0];
        if (out === undefined) throw new Error(`Folded backbone: ${op.op} has no output`);
        switch (op.op) {
          case 'CONV_2D': {
            if (o.kind !== 'conv') throw new Error('CONV_2D without conv options');
            const w = data(b);
            const filter = constant(tf.transpose(tf.tensor4d(w.data as Float32Array, w.shape as [number, number, number, number]), [1, 2, 3, 0])) as tf.Tensor4D;
            const bias = constant(tf.tensor1d(data(c).data as Float32Array));
            const pad = o.padding === 'SAME' ? 'same' : 'valid';
            const activation = activationOf(o.activation);
            steps.push({ out, reads: op.inputs.filter(isActivation), run: (v) => tf.fused.conv2d({ x: read(v, a) as tf.Tensor4D, filter, strides: [o.strideH, o.strideW], pad, bias, activation }) });
            break;
          }
          case 'DEPTHWISE_CONV_2D': {
            if (o.kind !== 'depthwise') throw new Error('DEPTHWISE_CONV_2D without depthwise options');
            const w = data(b);
            const [, kh, kw, channels] = w.shape as [number, number, number, number];
            const inC = channels / o.depthMultiplier;
            const filter = constant(tf.tensor4d(w.data as Float32Array, [kh, kw, inC, o.depthMultiplier])) as tf.Tensor4D;
            const bias = constant(tf.tensor1d(data(c).data as Float32Array));
            const pad = o.padding === 'SAME' ? 'same' : 'valid';
            const activation = activationOf(o.activation);
            steps.push({ out, reads: op.inputs.filter(isActivation), run: (v) => tf.fused.depthwiseConv2d({ x: read(v, a) as tf.Tensor4D, filter, strides: [o.strideH, o.strideW], pad, bias, activation }) });
            break;
          }
          case 'PAD': {
            const p = Array.from(data(b).data as Int32Array);
            const paddings = [0, 1, 2, 3].map((d) => [p[2 * d] ?? 0, p[2 * d + 1] ?? 0] as [number, number]);
            steps.push({ out, reads: op.inputs.filter(isActivation), run: (v) => tf.pad(read(v, a), paddings) });
            break;
          }
          case 'ADD': {
            if (o.kind !== 'add') throw new Error('ADD without add options');
            const activation = activationOf(o.activation);
            steps.push({ out, reads: op.inputs.filter(isActivation), run: (v) => (activation === 'relu6' ? tf.relu6 : activation === 'relu' ? tf.relu : (x: tf.Tensor) => x)(tf.add(read(v, a), read(v, b))) });
            break;
          }
          case 'CONCATENATION': {
            // A backbone pair (pair-model.ts): the parts' embeddings side by side.
            if (o.kind !== 'concat') throw new Error('CONCATENATION without concat options');
            steps.push({ out, reads: op.inputs.filter(isActivation), run: (v) => tf.concat(op.inputs.map((i) => read(v, i)), o.axis) });
            break;
          }
          case 'MEAN': {
            if (o.kind !== 'reducer') throw new Error('MEAN without reducer options');
            const axes = Array.from(data(b).data as Int32Array);
            steps.push({ out, reads: op.inputs.filter(isActivation), run: (v) => tf.mean(read(v, a), axes, o.keepDims) });
            break;
          }
          case 'RELU':
            steps.push({ out, reads: op.inputs.filter(isActivation), run: (v) => tf.relu(read(v, a)) });
            break;
          case 'RELU6':
            steps.push({ out, reads: op.inputs.filter(isActivation), run: (v) => tf.relu6(read(v, a)) });
            break;
          default:
            throw new Error(`Folded backbone: ${op.op} is not expected in a backbone`);
        }
      }
    });
    const [input] = graph.inputs;
    const [output] = graph.outputs;
    if (input === undefined || output === undefined) throw new Error('Folded backbone: the graph has no input or output');
    // Free each activation right after its last reader: peak memory stays a few layers' worth.
    const lastReader = new Map<number, number>();
    steps.forEach((s, k) => s.reads.forEach((i) => lastReader.set(i, k)));
    const compiled = steps.map((s, k) => ({ out: s.out, run: s.run, lastReadOf: s.reads.filter((i) => lastReader.get(i) === k && i !== input && i !== output) }));
    return new FoldedEmbedder(compiled, input, output, constants);
  }

  /** [n, 224, 224, 3] in the backbone's input range -> [n, embeddingSize]. Call inside tf.tidy. */
  predict(x: tf.Tensor4D): tf.Tensor2D {
    const values = new Map<number, tf.Tensor>([[this.input, x]]);
    for (const step of this.steps) {
      values.set(step.out, step.run(values));
      for (const i of step.lastReadOf) {
        values.get(i)?.dispose();
        values.delete(i);
      }
    }
    const y = values.get(this.output);
    if (!y) throw new Error('Folded backbone: the output was not reached');
    return y.reshape([x.shape[0], -1]) as tf.Tensor2D;
  }

  dispose(): void {
    for (const t of this.constants) t.dispose();
    this.constants.length = 0;
  }
}
