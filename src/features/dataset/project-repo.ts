import { getBackboneSpec } from '../../ml/backbones/catalog';
import * as db from '../../platform/project-db';
import { joinRows, splitRows, storedParts } from './embedding-parts';
import type { ClassInfo, ImageInfo } from '../../store/project-store';

let opened: Promise<db.ProjectDb> | null = null;
/** Shown when another tab upgraded the database past this version of the app. */
const NEWER_VERSION = 'A newer version of Transfer Studio is open in another tab and upgraded its storage. Reload this page to keep working.';

/** The project's IndexedDB, opened once; a failed open is forgotten so the next call tries again. */
function open(): Promise<db.ProjectDb> {
  if (opened) return opened;
  const attempt = db.openProjectDb().catch((error: unknown) => {
    if (opened === attempt) opened = null;
    throw db.isVersionError(error) ? new Error(NEWER_VERSION) : error;
  });
  opened = attempt;
  return attempt;
}

/**
 * Runs `body` on the open database. The connection is closed under us when another tab upgrades or
 * deletes the database (project-db closes it on `versionchange`); then calls fail with
 * InvalidStateError. In that case the cached connection is dropped and `body` runs once more on a fresh one.
 */
async function withDb<T>(body: (d: db.ProjectDb) => Promise<T>): Promise<T> {
  const current = open();
  try {
    return await body(await current);
  } catch (error) {
    if (!db.isClosedConnectionError(error)) throw error;
    if (opened === current) opened = null;
    return body(await open());
  }
}

let writes = 0;
const writeListeners = new Set<() => void>();

/** Writes started and not yet finished (the "Saving…" on the Data step; 0: all is stored). */
export function pendingWrites(): number {
  return writes;
}

/** Calls `listener` when `pendingWrites()` changes; returns the unsubscribe. */
export function subscribeWrites(listener: () => void): () => void {
  writeListeners.add(listener);
  return () => writeListeners.delete(listener);
}

/**
 * Counts one pending write until the returned function is called: an import holds one from its
 * start to its end, so "Saving…" stays on through it instead of flickering per 32-photo batch
 * (each flip was a repaint, and repaints were a fifth of a 300-photo import's time here).
 */
export function holdWrites(): () => void {
  writes++;
  writeListeners.forEach((l) => l());
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    writes--;
    writeListeners.forEach((l) => l());
  };
}

/** `withDb` for a write, counted in `pendingWrites`. */
async function writeDb(body: (d: db.ProjectDb) => Promise<unknown>): Promise<void> {
  const release = holdWrites();
  try {
    await withDb(body);
  } finally {
    release();
  }
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
  const [classes, records] = await withDb((d) => Promise.all([db.listClasses(d), db.listImages(d)]));
  const images = records.sort((a, b) => a.addedAt - b.addedAt).map(({ id, hash, classId, path, name }) => ({ id, hash, classId, path, name }));
  return { classes: classes.sort((a, b) => a.order - b.order), images };
}

/** Stores a class (new or renamed). */
export async function saveClass(info: ClassInfo): Promise<void> {
  await writeDb((d) => db.putClass(d, info));
}

/** Deletes a class with its images. */
export async function deleteClass(id: string): Promise<void> {
  await writeDb((d) => db.deleteClass(d, id));
}

/** Stores images and their training copies in one transaction. */
export async function putImages(items: readonly ImageToStore[]): Promise<void> {
  const now = Date.now();
  const records = items.map(({ image, width, height }, i) => ({ hash: image.hash, classId: image.classId, path: image.path, name: image.name, addedAt: now + i / 1000, width, height }));
  const pixels = new Map(items.map((it) => [it.image.hash, it.jpeg]));
  await writeDb((d) => db.putImages(d, records, pixels));
}

/** Deletes one image. */
export async function deleteImage(id: string): Promise<void> {
  await writeDb((d) => db.deleteImage(d, id));
}

/** Moves one image to another class. */
export async function moveImage(id: string, toClassId: string): Promise<void> {
  await writeDb((d) => db.moveImage(d, id, toClassId));
}

/** Deletes everything. */
export async function clear(): Promise<void> {
  await writeDb((d) => db.clearProject(d));
}

/** The training copies of several photos in one read, in order (undefined where one is missing). */
export async function getPixelsMany(hashes: readonly string[]): Promise<(Blob | undefined)[]> {
  return withDb((d) => db.getPixelsMany(d, hashes));
}

const sizesOf = (parts: readonly string[]) => parts.map((p) => getBackboneSpec(p).embeddingSize);

/** Cached embeddings of these hashes for a backbone (the two-backbone setting: its parts' rows joined). */
export async function getEmbeddings(backboneId: string, hashes: Iterable<string>): Promise<Map<string, Float32Array>> {
  const list = [...hashes];
  const parts = storedParts(backboneId);
  if (!parts) return withDb((d) => db.getEmbeddings(d, backboneId, list));
  const maps = await withDb((d) => Promise.all(parts.map((p) => db.getEmbeddings(d, p, list))));
  return joinRows(list, maps, sizesOf(parts));
}

/** The photos among `hashes` with no cached embedding for this backbone, or for one of its parts (keys only). */
export async function missingEmbeddings(backboneId: string, hashes: Iterable<string>): Promise<string[]> {
  const list = [...hashes];
  const parts = storedParts(backboneId);
  if (!parts) return withDb((d) => db.missingEmbeddings(d, backboneId, list));
  const missing = new Set((await withDb((d) => Promise.all(parts.map((p) => db.missingEmbeddings(d, p, list))))).flat());
  return list.filter((h) => missing.has(h));
}

/** Caches embeddings for a backbone (the two-backbone setting: each part under its own backbone). */
export async function putEmbeddings(backboneId: string, embeddings: ReadonlyMap<string, Float32Array>): Promise<void> {
  const parts = storedParts(backboneId);
  if (!parts) return writeDb((d) => db.putEmbeddings(d, backboneId, embeddings));
  const split = splitRows(embeddings, sizesOf(parts));
  await writeDb(async (d) => {
    for (const [i, p] of parts.entries()) await db.putEmbeddings(d, p, split[i] ?? new Map());
  });
}

/** A stored setting or model. */
export async function getMeta<T>(key: string): Promise<T | undefined> {
  return withDb((d) => db.getMeta<T>(d, key));
}

/** Stores a setting or model. */
export async function putMeta(key: string, value: unknown): Promise<void> {
  await writeDb((d) => db.putMeta(d, key, value));
}

/** Every class and full image record (with sizes and dates), for a project file. */
export async function listRecords(): Promise<{ classes: db.ClassRecord[]; images: db.ImageRecord[] }> {
  const [classes, images] = await withDb((d) => Promise.all([db.listClasses(d), db.listImages(d)]));
  return { classes, images };
}

/** A whole project read from a project file (already validated), to replace the stored one with. */
export interface ProjectContents {
  classes: db.ClassRecord[];
  images: db.NewImageRecord[];
  /** hash -> 224x224 JPEG training copy. */
  pixels: ReadonlyMap<string, Blob>;
  /** backboneId -> hash -> embedding. */
  embeddings: ReadonlyMap<string, ReadonlyMap<string, Float32Array>>;
  meta: ReadonlyMap<string, unknown>;
}

/** Replaces the whole stored project: clears it, then writes classes, images with pixels, embeddings and meta. */
export async function replaceProject(project: ProjectContents): Promise<void> {
  // Starts with a clear, so a retry on a reopened connection writes the same project again.
  await writeDb(async (d) => {
    await db.clearProject(d);
    for (const c of project.classes) await db.putClass(d, c);
    await db.putImages(d, project.images, project.pixels);
    for (const [backboneId, rows] of project.embeddings) await db.putEmbeddings(d, backboneId, rows);
    for (const [key, value] of project.meta) await db.putMeta(d, key, value);
  });
}
