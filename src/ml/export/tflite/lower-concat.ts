/**
 * Lowers Keras' Concatenate (the joined embedding of a backbone pair, pair-model.ts) to one
 * TFLite CONCATENATION op. Kept apart from lower-layers.ts, which holds the single backbones' layers.
 */
import type * as tf from '@tensorflow/tfjs';
import type { GraphBuilder } from './graph-builder';
import { shapeOf, UnsupportedLayerError } from './lower-layers';

/** Concatenate: CONCATENATION on the real axis (Keras' -1 is 1 for [1, C]: TFLite's converter writes it non-negative). */
export function lowerConcat(g: GraphBuilder, layer: tf.layers.Layer, inputs: number[], readers: number): number {
  if (inputs.length < 2) throw new UnsupportedLayerError(layer, `joins ${inputs.length} tensor(s), not 2 or more`);
  const shape = shapeOf(layer);
  const cfg = layer.getConfig() as Record<string, unknown>;
  const axis = typeof cfg.axis === 'number' ? cfg.axis : -1;
  const at = axis < 0 ? shape.length + axis : axis;
  if (!Number.isInteger(at) || at < 1 || at >= shape.length) throw new UnsupportedLayerError(layer, `joins on axis ${axis} of a rank-${shape.length} tensor`);
  for (const i of inputs) {
    const s = g.tensors[i]?.shape ?? [];
    if (s.length !== shape.length) throw new UnsupportedLayerError(layer, `joins a rank-${s.length} tensor into a rank-${shape.length} one`);
  }
  const out = g.addTensor({ name: layer.name, shape, type: 'float32' }, readers);
  g.addOp({ op: 'CONCATENATION', inputs, outputs: [out], options: { kind: 'concat', axis: at } });
  return out;
}
