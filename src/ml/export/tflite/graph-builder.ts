/**
 * Accumulates a TfliteGraph while layers are lowered: tensors, operators, which op produced a
 * tensor and how many layers read it (for folding batch norm and fusing activations), then
 * drops what folding left unused.
 */
import type { FusedActivation, TfliteGraph, TfliteOp, TfliteTensor } from './graph';

export class GraphBuilder {
  readonly tensors: TfliteTensor[] = [];
  private readonly ops: (TfliteOp | null)[] = [];
  private readonly producer = new Map<number, number>();
  /** How many layers read each tensor (graph outputs count as a reader). */
  readonly readers = new Map<number, number>();

  addTensor(tensor: TfliteTensor, readers = 0): number {
    this.readers.set(this.tensors.length, readers);
    return this.tensors.push(tensor) - 1;
  }

  constant(name: string, shape: number[], data: Float32Array | Int32Array): number {
    return this.addTensor({ name, shape, type: data instanceof Float32Array ? 'float32' : 'int32', data });
  }

  addOp(op: TfliteOp): number {
    const index = this.ops.push(op) - 1;
    for (const out of op.outputs) this.producer.set(out, index);
    return index;
  }

  /** The live op that produced tensor `t`, with its index. */
  producerOf(t: number): { op: TfliteOp; index: number } | null {
    const index = this.producer.get(t);
    const op = index === undefined ? null : this.ops[index];
    return op && index !== undefined ? { op, index } : null;
  }

  removeOp(index: number): void {
    const op = this.ops[index];
    if (op) for (const out of op.outputs) this.producer.delete(out);
    this.ops[index] = null;
  }

  /**
   * Fuses `activation` into the op that produced `t` when that op takes a fused activation, has
   * none yet and `t` has no other reader; otherwise adds a RELU / RELU6 op. Returns the tensor
   * holding the activated values.
   */
  activate(t: number, activation: FusedActivation, name: string, readers: number): number {
    if (activation === 'NONE') return t;
    const made = this.producerOf(t);
    const o = made?.op.options;
    if (o && 'activation' in o && o.activation === 'NONE' && this.readers.get(t) === 1) {
      o.activation = activation;
      this.rename(t, name, readers);
      return t;
    }
    const src = this.tensors[t];
    if (!src) throw new Error(`No tensor ${t}`);
    const out = this.addTensor({ name, shape: [...src.shape], type: 'float32' }, readers);
    this.addOp({ op: activation, inputs: [t], outputs: [out], options: { kind: 'none' } });
    return out;
  }

  /** An identity layer (Dropout, linear Activation): its readers read `t` instead. */
  passThrough(t: number, readers: number): number {
    this.readers.set(t, (this.readers.get(t) ?? 0) - 1 + readers);
    return t;
  }

  /** Gives tensor `t` the name and readers of the layer whose output it now also is. */
  rename(t: number, name: string, readers: number): void {
    const tensor = this.tensors[t];
    if (tensor) tensor.name = name;
    this.readers.set(t, readers);
  }

  /** The graph with removed ops and unreferenced tensors dropped, indices renumbered. */
  finish(inputs: number[], outputs: number[], description: string, metadata: TfliteGraph['metadata']): TfliteGraph {
    const ops = this.ops.filter((o): o is TfliteOp => o !== null);
    const used = new Set<number>([...inputs, ...outputs, ...ops.flatMap((o) => [...o.inputs, ...o.outputs])]);
    const renumber = new Map<number, number>();
    const tensors: TfliteTensor[] = [];
    this.tensors.forEach((t, i) => {
      if (used.has(i)) renumber.set(i, tensors.push(t) - 1);
    });
    const map = (i: number) => {
      const j = renumber.get(i);
      if (j === undefined) throw new Error(`Tensor ${i} lost in compaction`);
      return j;
    };
    return {
      tensors,
      ops: ops.map((o) => ({ ...o, inputs: o.inputs.map(map), outputs: o.outputs.map(map) })),
      inputs: inputs.map(map),
      outputs: outputs.map(map),
      description,
      metadata,
    };
  }
}
