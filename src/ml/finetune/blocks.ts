import type { BackboneId } from '../backbones/catalog';

/** How a layers backbone is cut into blocks that fine-tuning can unfreeze from the top. */
export interface BlockLayout {
  /** Blocks numbered 1..count; fine-tuning N unfreezes blocks count-N+1..count and everything after them. */
  count: number;
  /** Name prefixes of block k's layers; its first layer in model order starts the unfrozen top. */
  prefixes: (k: number) => string[];
  /** Sensible default N. */
  defaultBlocks: number;
  /** Largest N offered (deeper cuts hold bigger activations and run much slower). */
  maxBlocks: number;
}

/**
 * Block layouts of the fine-tunable backbones. MobileNetV2: inverted residual blocks 1..16, then
 * `Conv_1` (1x1 to 1280) which always trains with the top block. Their layers are `block_k_*` in
 * the Keras model (V2 0.35) and `expanded_conv_k_*` in the one rebuilt from TFLite (V2 1.0, Slim's
 * names, batch norm folded): both are looked for, and a model has only one of them.
 * MobileNetV1: depthwise-separable blocks `conv_pad_k`/`conv_dw_k`/`conv_pw_k`, k = 1..13.
 * The TF-Hub graph model has no layers to unfreeze: null.
 */
export function blockLayout(id: BackboneId | string): BlockLayout | null {
  if (id.startsWith('mobilenet_v2_')) return { count: 16, prefixes: (k) => [`block_${k}_`, `expanded_conv_${k}_`], defaultBlocks: 2, maxBlocks: 6 };
  if (id === 'mobilenet_v1_075_224') return { count: 13, prefixes: (k) => [`conv_pad_${k}`, `conv_dw_${k}`, `conv_pw_${k}`], defaultBlocks: 2, maxBlocks: 6 };
  return null;
}

/** True when a layer of that name belongs to block k of the layout. */
export function inBlock(layout: BlockLayout, k: number, layerName: string): boolean {
  return layout.prefixes(k).some((p) => layerName === p || layerName.startsWith(p.endsWith('_') ? p : `${p}_`));
}
