/**
 * The slice of TensorFlow Lite's flatbuffer schema this exporter writes and reads, with the
 * numbers of tensorflow/compiler/mlir/lite/schema/schema.fbs (schema version 3). Field ids are
 * the order of the fields in each table; a union takes two ids (its type, then its value).
 */

export const FILE_IDENTIFIER = 'TFL3';
export const SCHEMA_VERSION = 3;

/** enum TensorType : byte */
export const TensorType = { FLOAT32: 0, INT32: 2, UINT8: 3, INT8: 9 } as const;

/** enum BuiltinOperator : int32 (the codes we use; all < 127, so deprecated_builtin_code holds them too). */
export const BuiltinOperator = {
  ADD: 0,
  CONCATENATION: 2,
  CONV_2D: 3,
  DEPTHWISE_CONV_2D: 4,
  DEQUANTIZE: 6,
  FULLY_CONNECTED: 9,
  RELU: 19,
  RELU6: 21,
  SOFTMAX: 25,
  PAD: 34,
  MEAN: 40,
  QUANTIZE: 114,
} as const;
export type OpName = keyof typeof BuiltinOperator;

/** union BuiltinOptions: the type tag written in Operator.builtin_options_type. */
export const BuiltinOptions = {
  NONE: 0,
  Conv2DOptions: 1,
  DepthwiseConv2DOptions: 2,
  FullyConnectedOptions: 8,
  SoftmaxOptions: 9,
  ConcatenationOptions: 10,
  AddOptions: 11,
  PadOptions: 22,
  ReducerOptions: 27,
} as const;

/** enum Padding : byte */
export const Padding = { SAME: 0, VALID: 1 } as const;

/** enum ActivationFunctionType : byte */
export const Activation = { NONE: 0, RELU: 1, RELU6: 3 } as const;

/** Field ids per table. */
export const F = {
  Model: { version: 0, operator_codes: 1, subgraphs: 2, description: 3, buffers: 4, metadata_buffer: 5, metadata: 6, count: 8 },
  OperatorCode: { deprecated_builtin_code: 0, custom_code: 1, version: 2, builtin_code: 3, count: 4 },
  SubGraph: { tensors: 0, inputs: 1, outputs: 2, operators: 3, name: 4, count: 5 },
  Tensor: { shape: 0, type: 1, buffer: 2, name: 3, quantization: 4, count: 5 },
  QuantizationParameters: { min: 0, max: 1, scale: 2, zero_point: 3, details_type: 4, details: 5, quantized_dimension: 6, count: 7 },
  Operator: { opcode_index: 0, inputs: 1, outputs: 2, builtin_options_type: 3, builtin_options: 4, count: 5 },
  Buffer: { data: 0, count: 1 },
  Metadata: { name: 0, buffer: 1, count: 2 },
  Conv2DOptions: { padding: 0, stride_w: 1, stride_h: 2, fused_activation_function: 3, dilation_w_factor: 4, dilation_h_factor: 5, count: 6 },
  DepthwiseConv2DOptions: { padding: 0, stride_w: 1, stride_h: 2, depth_multiplier: 3, fused_activation_function: 4, dilation_w_factor: 5, dilation_h_factor: 6, count: 7 },
  FullyConnectedOptions: { fused_activation_function: 0, weights_format: 1, keep_num_dims: 2, count: 3 },
  SoftmaxOptions: { beta: 0, count: 1 },
  AddOptions: { fused_activation_function: 0, count: 1 },
  ConcatenationOptions: { axis: 0, fused_activation_function: 1, count: 2 },
  ReducerOptions: { keep_dims: 0, count: 1 },
} as const;
