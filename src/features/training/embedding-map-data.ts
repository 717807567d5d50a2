import { pca2 } from '../../lib/pca';
import type { ImageInfo } from '../../store/project-store';
import type { TrainedModel } from '../../store/training-store';
import * as repo from '../dataset/project-repo';

/** At most this many dots (evenly picked beyond): enough to see clusters, cheap to draw. */
export const MAP_MAX_POINTS = 3000;

/** One photo on the map: PCA coordinates of its embedding, its class, and whether validation got it wrong. */
export interface MapPoint {
  imageId: string;
  classIndex: number;
  x: number;
  y: number;
  /** A validation photo the model put in another class. */
  mistake: boolean;
}

/** Validation photos the model got wrong, by image id (class index predicted). */
export function validationMistakes(model: TrainedModel, images: readonly ImageInfo[]): Map<string, number> {
  const byId = new Map(images.map((im) => [im.id, im]));
  const wrong = new Map<string, number>();
  model.validationImageIds.forEach((id, v) => {
    const truth = model.classIds.indexOf(byId.get(id)?.classId ?? '');
    const predicted = model.validationPredicted[v];
    if (predicted !== undefined && truth >= 0 && predicted !== truth) wrong.set(id, predicted);
  });
  return wrong;
}

/** The photos of the model's classes that have an embedding for its backbone, on a 2-D PCA map. */
export async function embeddingMap(model: TrainedModel, images: readonly ImageInfo[], pause: () => Promise<void>): Promise<MapPoint[]> {
  const inModel = images.filter((im) => model.classIds.includes(im.classId));
  const step = Math.max(1, inModel.length / MAP_MAX_POINTS);
  const picked = Array.from({ length: Math.min(inModel.length, MAP_MAX_POINTS) }, (_, i) => inModel[Math.floor(i * step)]).filter((im): im is ImageInfo => !!im);
  const cached = await repo.getEmbeddings(model.backboneId, new Set(picked.map((im) => im.hash)));
  const rows = picked.filter((im) => cached.has(im.hash));
  const dim = cached.values().next().value?.length ?? 0;
  if (rows.length < 3 || dim === 0) return [];
  const data = new Float32Array(rows.length * dim);
  rows.forEach((im, i) => data.set(cached.get(im.hash) ?? new Float32Array(dim), i * dim));
  const xy = await pca2(data, rows.length, dim, pause, 30);
  const wrong = validationMistakes(model, images);
  return rows.map((im, i) => ({ imageId: im.id, classIndex: model.classIds.indexOf(im.classId), x: xy[i * 2] ?? 0, y: xy[i * 2 + 1] ?? 0, mistake: wrong.has(im.id) }));
}
