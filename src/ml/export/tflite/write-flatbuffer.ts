/**
 * Serialises a TfliteGraph to a `.tflite` flatbuffer (schema version 3, file identifier "TFL3")
 * with Google's flatbuffers runtime. Flatbuffers are built back to front: children first.
 */
import { Builder } from 'flatbuffers';
import { opVersion, type FusedActivation, type TfliteGraph, type TfliteOp, type TfliteOptions, type TfliteTensor } from './graph';
import { Activation, BuiltinOperator, BuiltinOptions, F, FILE_IDENTIFIER, Padding, SCHEMA_VERSION, TensorType, type OpName } from './schema';

type Offset = number;

function intVector(b: Builder, values: readonly number[]): Offset {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addInt32(values[i] as number);
  return b.endVector();
}

/** A vector of table offsets (also used by model-metadata.ts). */
export function offsetVector(b: Builder, offsets: readonly Offset[]): Offset {
  b.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i] as Offset);
  return b.endVector();
}

/** Buffer.data is [ubyte] (force_align: 16). Little-endian bytes, written back to front. */
function dataVector(b: Builder, bytes: Uint8Array): Offset {
  b.startVector(1, bytes.length, 16);
  for (let i = bytes.length - 1; i >= 0; i--) b.addInt8(bytes[i] as number);
  return b.endVector();
}

function bytesOf(data: NonNullable<TfliteTensor['data']>): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function buffer(b: Builder, bytes: Uint8Array | null): Offset {
  const data = bytes ? dataVector(b, bytes) : 0;
  b.startObject(F.Buffer.count);
  if (data) b.addFieldOffset(F.Buffer.data, data, 0);
  return b.endObject();
}

const TYPE_CODE: Record<TfliteTensor['type'], number> = { float32: TensorType.FLOAT32, int32: TensorType.INT32, uint8: TensorType.UINT8, int8: TensorType.INT8 };

/** QuantizationParameters{scale:[float], zero_point:[long], quantized_dimension:int}. */
function quantization(b: Builder, q: NonNullable<TfliteTensor['quantization']>): Offset {
  b.startVector(4, q.scale.length, 4);
  for (let i = q.scale.length - 1; i >= 0; i--) b.addFloat32(q.scale[i] as number);
  const scale = b.endVector();
  b.startVector(8, q.zeroPoint.length, 8);
  for (let i = q.zeroPoint.length - 1; i >= 0; i--) b.addInt64(BigInt(q.zeroPoint[i] as number));
  const zeroPoint = b.endVector();
  const f = F.QuantizationParameters;
  b.startObject(f.count);
  b.addFieldOffset(f.scale, scale, 0);
  b.addFieldOffset(f.zero_point, zeroPoint, 0);
  b.addFieldInt32(f.quantized_dimension, q.dimension, 0);
  return b.endObject();
}

function tensor(b: Builder, t: TfliteTensor, bufferIndex: number): Offset {
  const name = b.createString(t.name);
  const shape = intVector(b, t.shape);
  const quant = t.quantization ? quantization(b, t.quantization) : 0;
  b.startObject(F.Tensor.count);
  b.addFieldOffset(F.Tensor.shape, shape, 0);
  b.addFieldInt8(F.Tensor.type, TYPE_CODE[t.type], TensorType.FLOAT32);
  b.addFieldInt32(F.Tensor.buffer, bufferIndex, 0);
  b.addFieldOffset(F.Tensor.name, name, 0);
  if (quant) b.addFieldOffset(F.Tensor.quantization, quant, 0);
  return b.endObject();
}

const ACT: Record<FusedActivation, number> = { NONE: Activation.NONE, RELU: Activation.RELU, RELU6: Activation.RELU6 };

/** Writes the options table of an operator; returns [union type, offset]. */
function options(b: Builder, op: OpName, o: TfliteOptions): [number, Offset] {
  switch (o.kind) {
    case 'conv': {
      const f = F.Conv2DOptions;
      b.startObject(f.count);
      b.addFieldInt8(f.padding, o.padding === 'SAME' ? Padding.SAME : Padding.VALID, 0);
      b.addFieldInt32(f.stride_w, o.strideW, 0);
      b.addFieldInt32(f.stride_h, o.strideH, 0);
      b.addFieldInt8(f.fused_activation_function, ACT[o.activation], 0);
      return [BuiltinOptions.Conv2DOptions, b.endObject()];
    }
    case 'depthwise': {
      const f = F.DepthwiseConv2DOptions;
      b.startObject(f.count);
      b.addFieldInt8(f.padding, o.padding === 'SAME' ? Padding.SAME : Padding.VALID, 0);
      b.addFieldInt32(f.stride_w, o.strideW, 0);
      b.addFieldInt32(f.stride_h, o.strideH, 0);
      b.addFieldInt32(f.depth_multiplier, o.depthMultiplier, 0);
      b.addFieldInt8(f.fused_activation_function, ACT[o.activation], 0);
      return [BuiltinOptions.DepthwiseConv2DOptions, b.endObject()];
    }
    case 'fullyConnected':
      b.startObject(F.FullyConnectedOptions.count);
      b.addFieldInt8(F.FullyConnectedOptions.fused_activation_function, ACT[o.activation], 0);
      return [BuiltinOptions.FullyConnectedOptions, b.endObject()];
    case 'add':
      b.startObject(F.AddOptions.count);
      b.addFieldInt8(F.AddOptions.fused_activation_function, ACT[o.activation], 0);
      return [BuiltinOptions.AddOptions, b.endObject()];
    case 'concat':
      b.startObject(F.ConcatenationOptions.count);
      b.addFieldInt32(F.ConcatenationOptions.axis, o.axis, 0);
      b.addFieldInt8(F.ConcatenationOptions.fused_activation_function, Activation.NONE, 0);
      return [BuiltinOptions.ConcatenationOptions, b.endObject()];
    case 'softmax':
      b.startObject(F.SoftmaxOptions.count);
      b.addFieldFloat32(F.SoftmaxOptions.beta, o.beta, 0);
      return [BuiltinOptions.SoftmaxOptions, b.endObject()];
    case 'reducer':
      b.startObject(F.ReducerOptions.count);
      b.addFieldInt8(F.ReducerOptions.keep_dims, o.keepDims ? 1 : 0, 0);
      return [BuiltinOptions.ReducerOptions, b.endObject()];
    case 'none':
      if (op !== 'PAD') return [BuiltinOptions.NONE, 0];
      b.startObject(0); // PadOptions has no fields; TFLite's converter still writes the table.
      return [BuiltinOptions.PadOptions, b.endObject()];
  }
}

function operator(b: Builder, op: TfliteOp, opcodeIndex: number): Offset {
  const inputs = intVector(b, op.inputs);
  const outputs = intVector(b, op.outputs);
  const [type, opts] = options(b, op.op, op.options);
  const f = F.Operator;
  b.startObject(f.count);
  b.addFieldInt32(f.opcode_index, opcodeIndex, 0);
  b.addFieldOffset(f.inputs, inputs, 0);
  b.addFieldOffset(f.outputs, outputs, 0);
  if (type !== BuiltinOptions.NONE) {
    b.addFieldInt8(f.builtin_options_type, type, 0);
    b.addFieldOffset(f.builtin_options, opts, 0);
  }
  return b.endObject();
}

function operatorCode(b: Builder, op: OpName, version: number): Offset {
  const code = BuiltinOperator[op];
  const f = F.OperatorCode;
  b.startObject(f.count);
  b.addFieldInt8(f.deprecated_builtin_code, code, 0);
  b.addFieldInt32(f.version, version, 1);
  b.addFieldInt32(f.builtin_code, code, 0);
  return b.endObject();
}

/** The graph as `.tflite` bytes. Buffer 0 is the empty sentinel; each constant has its own buffer. */
export function writeTflite(graph: TfliteGraph): Uint8Array {
  const size = graph.tensors.reduce((n, t) => n + (t.data?.byteLength ?? 0), 0);
  const b = new Builder(size + 64 * 1024);
  // Buffer indices: 0 empty, then one per constant tensor, then one per metadata blob.
  const bufferOf: number[] = [];
  const bufferBytes: (Uint8Array | null)[] = [null];
  graph.tensors.forEach((t, i) => {
    bufferOf[i] = t.data ? bufferBytes.push(bytesOf(t.data)) - 1 : 0;
  });
  const metadataBuffers = graph.metadata.map((m) => bufferBytes.push(m.data) - 1);
  // One operator code per (operator, version), in order of first use.
  const codeKey = (o: TfliteOp) => `${o.op}@${opVersion(graph, o)}`;
  const codeKeys = [...new Set(graph.ops.map(codeKey))];

  // Large data first (it sits at the end of the file), then the small tables.
  const buffers = offsetVector(
    b,
    bufferBytes.map((bytes) => buffer(b, bytes)),
  );
  const tensors = offsetVector(
    b,
    graph.tensors.map((t, i) => tensor(b, t, bufferOf[i] ?? 0)),
  );
  const ops = offsetVector(
    b,
    graph.ops.map((o) => operator(b, o, codeKeys.indexOf(codeKey(o)))),
  );
  const subgraphName = b.createString('main');
  const inputs = intVector(b, graph.inputs);
  const outputs = intVector(b, graph.outputs);
  const s = F.SubGraph;
  b.startObject(s.count);
  b.addFieldOffset(s.tensors, tensors, 0);
  b.addFieldOffset(s.inputs, inputs, 0);
  b.addFieldOffset(s.outputs, outputs, 0);
  b.addFieldOffset(s.operators, ops, 0);
  b.addFieldOffset(s.name, subgraphName, 0);
  const subgraph = b.endObject();
  const subgraphs = offsetVector(b, [subgraph]);
  const codes = offsetVector(
    b,
    codeKeys.map((k) => {
      const [name, version] = k.split('@');
      return operatorCode(b, name as OpName, Number(version));
    }),
  );
  const metadata = offsetVector(
    b,
    graph.metadata.map((m, i) => {
      const name = b.createString(m.name);
      b.startObject(F.Metadata.count);
      b.addFieldOffset(F.Metadata.name, name, 0);
      b.addFieldInt32(F.Metadata.buffer, metadataBuffers[i] ?? 0, 0);
      return b.endObject();
    }),
  );
  const description = b.createString(graph.description);
  const m = F.Model;
  b.startObject(m.count);
  b.addFieldInt32(m.version, SCHEMA_VERSION, 0);
  b.addFieldOffset(m.operator_codes, codes, 0);
  b.addFieldOffset(m.subgraphs, subgraphs, 0);
  b.addFieldOffset(m.description, description, 0);
  b.addFieldOffset(m.buffers, buffers, 0);
  if (graph.metadata.length) b.addFieldOffset(m.metadata, metadata, 0);
  b.finish(b.endObject(), FILE_IDENTIFIER);
  return b.asUint8Array().slice();
}
