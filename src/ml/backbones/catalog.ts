/** Static facts about each pretrained backbone (from docs/models.md); no tfjs here. */
/** One pretrained network with its own weights under public/models/<id>/. */
export type SingleBackboneId =
  | 'mobilenet_v2_100_224'
  | 'mobilenet_v1_075_224'
  | 'mobilenet_v2_035_224'
  | 'mobilenet_v1_025_224_tfhub';

/** A choice of the backbone picker: one network, or `most-accurate` (two networks, embeddings concatenated). */
export type BackboneId = SingleBackboneId | 'most-accurate';

/** How the weights are stored: a Keras/tfjs layers model or a TF-Hub graph model. */
export type BackboneFormat = 'layers' | 'graph';

/** Which ImageNet label list the backbone's head uses, if it has one. */
export type ImagenetHead = 'none' | 'softmax-1001' | 'softmax-1000' | 'logits-1001';

export interface BackboneSpec {
  id: BackboneId;
  label: string;
  format: BackboneFormat;
  /** Square input side in pixels. */
  inputSize: number;
  /** Range the network expects its float32 RGB input in. */
  inputRange: [number, number];
  /** Length of the embedding vector. */
  embeddingSize: number;
  /** Name of the embedding layer (layers models) or node (graph models). */
  embeddingLayer: string;
  imagenetHead: ImagenetHead;
  /** Files under public/models/<id>/ ; the first is model.json. */
  files: string[];
  /** Total download size in bytes. */
  downloadBytes: number;
  /** Multiply-adds per image, in millions. */
  megaMacs: number;
  /** Measured frozen-embedding test accuracy on clothing-small (docs/models.md), in [0, 1]. */
  clothingAccuracy: number;
  /** One line on the trade-off, for the picker. */
  tradeOff: string;
  /**
   * A two-backbone choice: the networks whose embeddings are concatenated, in this order (each
   * cached under its own id). Absent for a single network.
   */
  parts?: readonly SingleBackboneId[];
}

/** Every single backbone the app ships (each with its own weights), default first. */
export const BACKBONES: readonly BackboneSpec[] = [
  {
    id: 'mobilenet_v2_100_224',
    label: 'MobileNetV2 1.0',
    format: 'layers',
    inputSize: 224,
    inputRange: [-1, 1],
    embeddingSize: 1280,
    embeddingLayer: 'embedding',
    imagenetHead: 'softmax-1001',
    files: ['model.json', 'group1-shard1of1.bin'],
    downloadBytes: 7_000_000,
    megaMacs: 300,
    clothingAccuracy: 0.868,
    tradeOff: 'Recommended: as accurate as any, moderate compute.',
  },
  {
    id: 'mobilenet_v1_075_224',
    label: 'MobileNetV1 0.75',
    format: 'layers',
    inputSize: 224,
    inputRange: [-1, 1],
    embeddingSize: 768,
    embeddingLayer: 'embedding',
    imagenetHead: 'softmax-1000',
    files: ['model.json', 'group1-shard1of1.bin'],
    downloadBytes: 5_200_000,
    megaMacs: 317,
    clothingAccuracy: 0.874,
    tradeOff: 'Most accurate single model on our tests, slightly more compute.',
  },
  {
    id: 'mobilenet_v2_035_224',
    label: 'MobileNetV2 0.35 (Teachable Machine)',
    format: 'layers',
    inputSize: 224,
    inputRange: [-1, 1],
    embeddingSize: 1280,
    embeddingLayer: 'embedding',
    imagenetHead: 'none',
    files: ['model.json', 'weights.bin'],
    downloadBytes: 1_600_000,
    megaMacs: 59,
    clothingAccuracy: 0.841,
    tradeOff: 'Fast: 5x less compute, a few points less accurate.',
  },
  {
    id: 'mobilenet_v1_025_224_tfhub',
    label: 'MobileNetV1 0.25 (TF-Hub)',
    format: 'graph',
    inputSize: 224,
    inputRange: [0, 1],
    embeddingSize: 256,
    embeddingLayer: 'module_apply_default/MobilenetV1/Logits/global_pool',
    imagenetHead: 'logits-1001',
    files: ['model.json', 'group1-shard1of1'],
    downloadBytes: 1_900_000,
    megaMacs: 41,
    clothingAccuracy: 0.772,
    tradeOff: 'Smallest and fastest, clearly less accurate.',
  },
];

const v2 = BACKBONES[0] as BackboneSpec;
const v1 = BACKBONES[1] as BackboneSpec;

/**
 * "Most accurate" (issue 20): MobileNetV2 1.0 and MobileNetV1 0.75 on the same 224x224 image, their
 * embeddings concatenated (1280 + 768 values) as the head's input. Chosen by measurement
 * (bench/RESULTS.md "Which two backbones for Most accurate"): +2.2 +/- 0.4 points on clothing-small,
 * +2.8 +/- 0.3 on sign-digits over the default, at 1.93x its embedding CPU time. The parts are used as
 * they are (no per-part L2 normalisation, worth another +0.2 to +0.4 points there): every export then
 * stays plain Keras layers (a Concatenate), which loads anywhere.
 */
export const MOST_ACCURATE: BackboneSpec = {
  id: 'most-accurate',
  label: 'Most accurate (MobileNetV2 1.0 + MobileNetV1 0.75)',
  format: 'layers',
  inputSize: 224,
  inputRange: [-1, 1],
  embeddingSize: v2.embeddingSize + v1.embeddingSize,
  embeddingLayer: 'embedding',
  // The ImageNet guesses come from the first part.
  imagenetHead: v2.imagenetHead,
  files: [],
  downloadBytes: v2.downloadBytes + v1.downloadBytes,
  megaMacs: v2.megaMacs + v1.megaMacs,
  // The default's figure plus the pair's measured gain on clothing-small (+2.2 points, same head and split).
  clothingAccuracy: v2.clothingAccuracy + 0.022,
  tradeOff: 'Two networks on every photo: about 2 points more accurate than the default on our tests, about twice its embedding time.',
  parts: ['mobilenet_v2_100_224', 'mobilenet_v1_075_224'],
};

/** Every choice of the picker: the single backbones, then the two-backbone setting. */
export const BACKBONE_CHOICES: readonly BackboneSpec[] = [...BACKBONES, MOST_ACCURATE];

/** The backbone docs/models.md recommends. */
export const DEFAULT_BACKBONE_ID: BackboneId = 'mobilenet_v2_100_224';

/** Looks up a backbone (or the two-backbone setting) by id; throws on an unknown id. */
export function getBackboneSpec(id: string): BackboneSpec {
  const spec = BACKBONE_CHOICES.find((b) => b.id === id);
  if (!spec) throw new Error(`Unknown backbone "${id}"`);
  return spec;
}

/** True when `id` names a shipped backbone or the two-backbone setting. */
export function isBackboneId(id: string): id is BackboneId {
  return BACKBONE_CHOICES.some((b) => b.id === id);
}
