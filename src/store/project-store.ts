import { create } from 'zustand';
import type { ErrorInfo } from '../lib/errors';

/** A class (label) of the project. */
export interface ClassInfo {
  id: string;
  name: string;
  order: number;
}

/** One image of the project: its place in a class and its content hash. */
export interface ImageInfo {
  /** `${classId}:${hash}`. */
  id: string;
  hash: string;
  classId: string;
  path: string;
  name: string;
}

/** A file an import did not take, and why (`reason` is a short code). */
export interface SkippedInfo {
  path: string;
  reason: string;
  detail: string;
}

/** The same bytes found more than once. */
export interface DuplicateInfo {
  hash: string;
  paths: string[];
  classIds: string[];
  crossClass: boolean;
}

/** The project being edited: plain data, mirrored to IndexedDB by features/dataset. */
export interface ProjectState {
  loaded: boolean;
  classes: ClassInfo[];
  images: ImageInfo[];
  skipped: SkippedInfo[];
  duplicates: DuplicateInfo[];
  importing: { done: number; total: number } | null;
  /** A storage problem (quota); the project in memory stays intact. */
  storageError: ErrorInfo | null;
}

export const INITIAL_PROJECT_STATE: ProjectState = {
  loaded: false,
  classes: [],
  images: [],
  skipped: [],
  duplicates: [],
  importing: null,
  storageError: null,
};

/** The open project. */
export const useProjectStore = create<ProjectState>(() => INITIAL_PROJECT_STATE);

/** Image counts per class id. */
export function countByClass(images: readonly ImageInfo[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const im of images) counts.set(im.classId, (counts.get(im.classId) ?? 0) + 1);
  return counts;
}

const byClassCache = new WeakMap<readonly ImageInfo[], ReadonlyMap<string, readonly ImageInfo[]>>();
const NONE: readonly ImageInfo[] = [];

/**
 * The images of each class, computed once per images array (the store replaces the array on every
 * change): 200 class cards and the readiness check look their class up instead of each filtering
 * all images, which made a 20,000-photo import quadratic.
 */
export function imagesByClass(images: readonly ImageInfo[]): ReadonlyMap<string, readonly ImageInfo[]> {
  let map = byClassCache.get(images);
  if (!map) {
    const m = new Map<string, ImageInfo[]>();
    for (const im of images) {
      const list = m.get(im.classId);
      if (list) list.push(im);
      else m.set(im.classId, [im]);
    }
    map = m;
    byClassCache.set(images, map);
  }
  return map;
}

/** The images of one class (an empty array when it has none). */
export function imagesOfClass(images: readonly ImageInfo[], classId: string): readonly ImageInfo[] {
  return imagesByClass(images).get(classId) ?? NONE;
}

const byIdCache = new WeakMap<readonly ImageInfo[], ReadonlyMap<string, ImageInfo>>();

/** One image by id, through an index built once per images array (a gallery of mistakes looks up many). */
export function imageById(images: readonly ImageInfo[], id: string): ImageInfo | undefined {
  let map = byIdCache.get(images);
  if (!map) {
    map = new Map(images.map((im) => [im.id, im]));
    byIdCache.set(images, map);
  }
  return map.get(id);
}
