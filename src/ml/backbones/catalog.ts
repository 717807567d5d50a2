/** Static facts about each pretrained backbone (from docs/models.md); no tfjs here. */
export type BackboneId =
  | 'mobilenet_v2_100_224'
  | 'mobilenet_v1_075_224'
  | 'mobilenet_v2_035_224'
  | 'mobilenet_v1_025_224_tfhub';

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
}

/** Every backbone the app ships, default first. */
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

/** The backbone docs/models.md recommends. */
export const DEFAULT_BACKBONE_ID: BackboneId = 'mobilenet_v2_100_224';

/** Looks up a backbone by id; throws on an unknown id. */
export function getBackboneSpec(id: string): BackboneSpec {
  const spec = BACKBONES.find((b) => b.id === id);
  if (!spec) throw new Error(`Unknown backbone "${id}"`);
  return spec;
}

/** True when `id` names a shipped backbone. */
export function isBackboneId(id: string): id is BackboneId {
  return BACKBONES.some((b) => b.id === id);
}
