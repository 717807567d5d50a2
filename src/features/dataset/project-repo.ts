import * as db from '../../platform/project-db';
import type { ClassInfo, ImageInfo } from '../../store/project-store';

let opened: Promise<db.ProjectDb> | null = null;

/** The project's IndexedDB, opened once. */
function open(): Promise<db.ProjectDb> {
  opened ??= db.openProjectDb();
  return opened;
}

/** An image to store, with its training copy. */
export interface ImageToStore {
  image: ImageInfo;
  jpeg: Blob;
  width: number;
  height: number;
}

/** Every class (in order) and image of the stored project. */
export async function loadAll(): Promise<{ classes: ClassInfo[]; images: ImageInfo[] }> {
  const d = await open();
  const classes = (await db.listClasses(d)).sort((a, b) => a.order - b.order);
  const images = (await db.listImages(d)).sort((a, b) => a.addedAt - b.addedAt).map(({ id, hash, classId, path, name }) => ({ id, hash, classId, path, name }));
  return { classes, images };
}

/** Stores a class (new or renamed). */
export async function saveClass(info: ClassInfo): Promise<void> {
  await db.putClass(await open(), info);
}

/** Deletes a class with its images. */
export async function deleteClass(id: string): Promise<void> {
  await db.deleteClass(await open(), id);
}

/** Stores images and their training copies in one transaction. */
export async function putImages(items: readonly ImageToStore[]): Promise<void> {
  const now = Date.now();
  const records = items.map(({ image, width, height }, i) => ({ hash: image.hash, classId: image.classId, path: image.path, name: image.name, addedAt: now + i / 1000, width, height }));
  await db.putImages(await open(), records, new Map(items.map((it) => [it.image.hash, it.jpeg])));
}

/** Deletes one image. */
export async function deleteImage(id: string): Promise<void> {
  await db.deleteImage(await open(), id);
}

/** Moves one image to another class. */
export async function moveImage(id: string, toClassId: string): Promise<void> {
  await db.moveImage(await open(), id, toClassId);
}

/** Deletes everything. */
export async function clear(): Promise<void> {
  await db.clearProject(await open());
}

/** The 224x224 training copy of an image. */
export async function getPixels(hash: string): Promise<Blob | undefined> {
  return db.getPixels(await open(), hash);
}

/** Cached embeddings of these hashes for a backbone. */
export async function getEmbeddings(backboneId: string, hashes: Iterable<string>): Promise<Map<string, Float32Array>> {
  return db.getEmbeddings(await open(), backboneId, hashes);
}

/** Caches embeddings for a backbone. */
export async function putEmbeddings(backboneId: string, embeddings: ReadonlyMap<string, Float32Array>): Promise<void> {
  await db.putEmbeddings(await open(), backboneId, embeddings);
}

/** A stored setting or model. */
export async function getMeta<T>(key: string): Promise<T | undefined> {
  return db.getMeta<T>(await open(), key);
}

/** Stores a setting or model. */
export async function putMeta(key: string, value: unknown): Promise<void> {
  await db.putMeta(await open(), key, value);
}
