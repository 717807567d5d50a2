/**
 * Reads a `.tflite` file back into a TfliteGraph, with a hand-written flatbuffer walker (not the
 * library the writer uses), so a round trip checks the bytes against the schema independently.
 * Reads the slice of the schema the exporter writes; anything else is refused with a reason.
 */
import { OPTIONS_OF, type FusedActivation, type TfliteGraph, type TfliteOp, type TfliteOptions, type TfliteTensor } from './graph';
import { Activation, BuiltinOperator, BuiltinOptions, F, FILE_IDENTIFIER, Padding, TensorType, type OpName } from './schema';

/** A table: its position in the file and its vtable. */
class Table {
  private readonly vtable: number;
  private readonly vtableSize: number;
  constructor(
    private readonly view: DataView,
    readonly pos: number,
  ) {
    this.vtable = pos - view.getInt32(pos, true);
    this.vtableSize = view.getUint16(this.vtable, true);
  }
  /** Absolute position of field `id`, or 0 when it is absent (the default applies). */
  field(id: number): number {
    const at = 4 + 2 * id;
    if (at >= this.vtableSize) return 0;
    const rel = this.view.getUint16(this.vtable + at, true);
    return rel ? this.pos + rel : 0;
  }
  int8(id: number, dflt: number): number {
    const p = this.field(id);
    return p ? this.view.getInt8(p) : dflt;
  }
  int32(id: number, dflt: number): number {
    const p = this.field(id);
    return p ? this.view.getInt32(p, true) : dflt;
  }
  float32(id: number, dflt: number): number {
    const p = this.field(id);
    return p ? this.view.getFloat32(p, true) : dflt;
  }
  /** Follows a uoffset field; returns the target position or 0. */
  ref(id: number): number {
    const p = this.field(id);
    return p ? p + this.view.getUint32(p, true) : 0;
  }
  table(id: number): Table | null {
    const p = this.ref(id);
    return p ? new Table(this.view, p) : null;
  }
  /** A vector field: [position of the first element, length]. */
  vector(id: number): [number, number] {
    const p = this.ref(id);
    return p ? [p + 4, this.view.getUint32(p, true)] : [0, 0];
  }
  floats(id: number): number[] {
    const [start, n] = this.vector(id);
    return Array.from({ length: n }, (_, i) => this.view.getFloat32(start + 4 * i, true));
  }
  longs(id: number): number[] {
    const [start, n] = this.vector(id);
    return Array.from({ length: n }, (_, i) => Number(this.view.getBigInt64(start + 8 * i, true)));
  }
  ints(id: number): number[] {
    const [start, n] = this.vector(id);
    return Array.from({ length: n }, (_, i) => this.view.getInt32(start + 4 * i, true));
  }
  tables(id: number): Table[] {
    const [start, n] = this.vector(id);
    return Array.from({ length: n }, (_, i) => {
      const at = start + 4 * i;
      return new Table(this.view, at + this.view.getUint32(at, true));
    });
  }
  bytes(id: number): Uint8Array {
    const [start, n] = this.vector(id);
    return new Uint8Array(this.view.buffer, this.view.byteOffset + start, n);
  }
  string(id: number): string {
    return new TextDecoder().decode(this.bytes(id));
  }
}

/** What the file says beyond the graph (for checks). */
export interface TfliteFileInfo {
  identifier: string;
  version: number;
  /** Per operator code: [deprecated_builtin_code, builtin_code, version]. */
  operatorCodes: { deprecatedBuiltinCode: number; builtinCode: number; version: number }[];
  /** Byte length of each buffer's data. */
  bufferSizes: number[];
  /** Byte offset of each buffer's data in the file (0 for empty buffers). */
  bufferOffsets: number[];
}

const OP_BY_CODE = new Map<number, OpName>(Object.entries(BuiltinOperator).map(([name, code]) => [code, name as OpName]));
const ACT_BY_CODE = new Map<number, FusedActivation>([
  [Activation.NONE, 'NONE'],
  [Activation.RELU, 'RELU'],
  [Activation.RELU6, 'RELU6'],
]);

function activation(t: Table, id: number): FusedActivation {
  const code = t.int8(id, 0);
  const act = ACT_BY_CODE.get(code);
  if (!act) throw new Error(`Unsupported fused activation ${code}`);
  return act;
}

function padding(t: Table, id: number): 'SAME' | 'VALID' {
  return t.int8(id, Padding.SAME) === Padding.VALID ? 'VALID' : 'SAME';
}

function readOptions(op: OpName, type: number, t: Table | null): TfliteOptions {
  const want = OPTIONS_OF[op];
  if (want === 'none') {
    if (type !== BuiltinOptions.NONE && type !== BuiltinOptions.PadOptions) throw new Error(`${op} has options of type ${type}`);
    return { kind: 'none' };
  }
  const expected = {
    conv: BuiltinOptions.Conv2DOptions,
    depthwise: BuiltinOptions.DepthwiseConv2DOptions,
    fullyConnected: BuiltinOptions.FullyConnectedOptions,
    add: BuiltinOptions.AddOptions,
    concat: BuiltinOptions.ConcatenationOptions,
    softmax: BuiltinOptions.SoftmaxOptions,
    reducer: BuiltinOptions.ReducerOptions,
  }[want];
  if (type !== expected || !t) throw new Error(`${op} needs options of type ${expected}, the file has ${type}`);
  switch (want) {
    case 'conv': {
      const f = F.Conv2DOptions;
      if (t.int32(f.dilation_w_factor, 1) !== 1 || t.int32(f.dilation_h_factor, 1) !== 1) throw new Error('Dilated convolutions are not supported');
      return { kind: 'conv', padding: padding(t, f.padding), strideW: t.int32(f.stride_w, 0), strideH: t.int32(f.stride_h, 0), activation: activation(t, f.fused_activation_function) };
    }
    case 'depthwise': {
      const f = F.DepthwiseConv2DOptions;
      if (t.int32(f.dilation_w_factor, 1) !== 1 || t.int32(f.dilation_h_factor, 1) !== 1) throw new Error('Dilated convolutions are not supported');
      return {
        kind: 'depthwise',
        padding: padding(t, f.padding),
        strideW: t.int32(f.stride_w, 0),
        strideH: t.int32(f.stride_h, 0),
        depthMultiplier: t.int32(f.depth_multiplier, 0),
        activation: activation(t, f.fused_activation_function),
      };
    }
    case 'fullyConnected':
      if (t.int8(F.FullyConnectedOptions.weights_format, 0) !== 0) throw new Error('Shuffled fully-connected weights are not supported');
      return { kind: 'fullyConnected', activation: activation(t, F.FullyConnectedOptions.fused_activation_function) };
    case 'add':
      return { kind: 'add', activation: activation(t, F.AddOptions.fused_activation_function) };
    case 'concat':
      // TFLite's kernel refuses a fused activation on CONCATENATION; so does the reader.
      if (activation(t, F.ConcatenationOptions.fused_activation_function) !== 'NONE') throw new Error('CONCATENATION with a fused activation is not supported');
      return { kind: 'concat', axis: t.int32(F.ConcatenationOptions.axis, 0) };
    case 'softmax':
      return { kind: 'softmax', beta: t.float32(F.SoftmaxOptions.beta, 0) };
    case 'reducer':
      return { kind: 'reducer', keepDims: t.int8(F.ReducerOptions.keep_dims, 0) !== 0 };
  }
}

function copyData(bytes: Uint8Array, type: TfliteTensor['type']): NonNullable<TfliteTensor['data']> {
  const copy = bytes.slice();
  if (type === 'uint8') return copy;
  return type === 'float32' ? new Float32Array(copy.buffer) : type === 'int32' ? new Int32Array(copy.buffer) : new Int8Array(copy.buffer);
}

const TYPES = new Map<number, TfliteTensor['type']>([
  [TensorType.FLOAT32, 'float32'],
  [TensorType.INT32, 'int32'],
  [TensorType.UINT8, 'uint8'],
  [TensorType.INT8, 'int8'],
]);

/** Parses `.tflite` bytes. Throws when the file is not a TFLite model of the supported kind. */
export function readTflite(bytes: Uint8Array): { graph: TfliteGraph; info: TfliteFileInfo } {
  if (bytes.byteLength < 8) throw new Error('Not a TFLite file: too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const identifier = new TextDecoder().decode(bytes.subarray(4, 8));
  if (identifier !== FILE_IDENTIFIER) throw new Error(`Not a TFLite file: identifier "${identifier}"`);
  const model = new Table(view, view.getUint32(0, true));
  const M = F.Model;
  const version = model.int32(M.version, 0);
  const operatorCodes = model.tables(M.operator_codes).map((c) => ({
    deprecatedBuiltinCode: c.int8(F.OperatorCode.deprecated_builtin_code, 0),
    builtinCode: c.int32(F.OperatorCode.builtin_code, 0),
    version: c.int32(F.OperatorCode.version, 1),
  }));
  const buffers = model.tables(M.buffers).map((b) => b.bytes(F.Buffer.data));
  const subgraphs = model.tables(M.subgraphs);
  const main = subgraphs[0];
  if (!main || subgraphs.length !== 1) throw new Error(`Expected one subgraph, found ${subgraphs.length}`);

  const tensors = main.tables(F.SubGraph.tensors).map((t): TfliteTensor => {
    const typeCode = t.int8(F.Tensor.type, TensorType.FLOAT32);
    const type = TYPES.get(typeCode);
    if (!type) throw new Error(`Unsupported tensor type ${typeCode}`);
    const data = buffers[t.int32(F.Tensor.buffer, 0)];
    const tensor: TfliteTensor = { name: t.string(F.Tensor.name), shape: t.ints(F.Tensor.shape), type };
    if (data && data.byteLength > 0) tensor.data = copyData(data, type);
    const q = t.table(F.Tensor.quantization);
    const Q = F.QuantizationParameters;
    if (q && q.vector(Q.scale)[1] > 0) tensor.quantization = { scale: q.floats(Q.scale), zeroPoint: q.longs(Q.zero_point), dimension: q.int32(Q.quantized_dimension, 0) };
    return tensor;
  });
  const ops = main.tables(F.SubGraph.operators).map((o): TfliteOp => {
    const code = operatorCodes[o.int32(F.Operator.opcode_index, 0)];
    if (!code) throw new Error('Operator with no operator code');
    const builtin = Math.max(code.deprecatedBuiltinCode, code.builtinCode);
    const op = OP_BY_CODE.get(builtin);
    if (!op) throw new Error(`Unsupported operator code ${builtin}`);
    const options = readOptions(op, o.int8(F.Operator.builtin_options_type, 0), o.table(F.Operator.builtin_options));
    return { op, inputs: o.ints(F.Operator.inputs), outputs: o.ints(F.Operator.outputs), options };
  });
  const metadata = model.tables(M.metadata).map((m) => ({ name: m.string(F.Metadata.name), data: (buffers[m.int32(F.Metadata.buffer, 0)] ?? new Uint8Array(0)).slice() }));
  const graph: TfliteGraph = {
    tensors,
    ops,
    inputs: main.ints(F.SubGraph.inputs),
    outputs: main.ints(F.SubGraph.outputs),
    description: model.string(M.description),
    metadata,
  };
  const bufferOffsets = buffers.map((b) => (b.byteLength ? b.byteOffset - bytes.byteOffset : 0));
  return { graph, info: { identifier, version, operatorCodes, bufferSizes: buffers.map((b) => b.byteLength), bufferOffsets } };
}
