import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import { AppError } from '../lib/errors';

/** A class (label) of the project. */
export interface ClassRecord {
  id: string;
  name: string;
  order: number;
}

/** One photo in one class; `id` is `${classId}:${hash}`, so the same photo may sit in two classes. */
export interface ImageRecord {
  id: string;
  /** SHA-256 (hex) of the original file's bytes. */
  hash: string;
  classId: string;
  /** Path as dropped or picked ("dataset/cats/a.jpg"). */
  path: string;
  name: string;
  addedAt: number;
  width: number;
  height: number;
}

/** An image to store: `id` is derived from `classId` and `hash`. */
export type NewImageRecord = Omit<ImageRecord, 'id'>;

interface ProjectSchema extends DBSchema {
  classes: { key: string; value: ClassRecord };
  images: { key: string; value: ImageRecord; indexes: { 'by-class': string; 'by-hash': string } };
  /** hash -> the 224x224 JPEG training copy. */
  pixels: { key: string; value: Blob };
  /** `${backboneId}:${hash}` -> embedding. */
  embeddings: { key: string; value: Float32Array };
  /** Settings, the trained head and other structured-cloneable values. */
  meta: { key: string; value: unknown };
}

/** An open project database (usable from a window or a worker). */
export type ProjectDb = IDBPDatabase<ProjectSchema>;

type StoreName = StoreNames<ProjectSchema>;
type Tx<M extends IDBTransactionMode> = IDBPTransaction<ProjectSchema, StoreName[], M>;

/** Default database name. */
export const DEFAULT_DB_NAME = 'transfer-studio';
const VERSION = 1;
const ALL_STORES: StoreName[] = ['classes', 'images', 'pixels', 'embeddings', 'meta'];
const QUOTA_ERROR_NAMES = new Set(['QuotaExceededError', 'NS_ERROR_DOM_QUOTA_REACHED', 'NS_ERROR_FILE_NO_DEVICE_SPACE']);

/** The key of an image record: the same photo has one record per class it is in. */
export function imageId(classId: string, hash: string): string {
  return `${classId}:${hash}`;
}

function embeddingKey(backboneId: string, hash: string): string {
  return `${backboneId}:${hash}`;
}

function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string' ? error.name : undefined;
}

/** Maps a storage failure to AppError('quota-exceeded') when the request or its transaction ran out of space; other errors pass through. */
export function toStorageError(error: unknown, transactionError?: unknown): unknown {
  for (const e of [error, transactionError]) {
    const name = errorName(e);
    if (name !== undefined && QUOTA_ERROR_NAMES.has(name)) {
      return new AppError('quota-exceeded', 'The browser has no storage space left for this project; the change was not saved');
    }
  }
  return error;
}

/** True when a call failed because the connection was closed (by `versionchange`, or by the browser): reopen and retry. */
export function isClosedConnectionError(error: unknown): boolean {
  return errorName(error) === 'InvalidStateError';
}

/** True when the stored database is newer than this app (another tab runs a newer version). */
export function isVersionError(error: unknown): boolean {
  return errorName(error) === 'VersionError';
}

/** Opens (creating or upgrading) the project database. */
export async function openProjectDb(name: string = DEFAULT_DB_NAME): Promise<ProjectDb> {
  const db = await openDB<ProjectSchema>(name, VERSION, {
    upgrade(database, oldVersion) {
      if (oldVersion < 1) {
        database.createObjectStore('classes', { keyPath: 'id' });
        const images = database.createObjectStore('images', { keyPath: 'id' });
        images.createIndex('by-class', 'classId');
        images.createIndex('by-hash', 'hash');
        database.createObjectStore('pixels');
        database.createObjectStore('embeddings');
        database.createObjectStore('meta');
      }
    },
    // Another tab or a newer version of the app wants to upgrade: let it.
    blocking() {
      db.close();
    },
  });
  return db;
}

/**
 * Runs `body` in one transaction and waits for it to commit. On any failure the transaction is
 * aborted (nothing it wrote is kept) and quota errors become AppError('quota-exceeded').
 * `body` must await only IndexedDB requests, or the transaction closes under it.
 */
async function run<T, M extends IDBTransactionMode>(db: ProjectDb, stores: StoreName[], mode: M, body: (tx: Tx<M>) => Promise<T>): Promise<T> {
  const tx = db.transaction(stores, mode);
  try {
    const result = await body(tx);
    await tx.done;
    return result;
  } catch (error) {
    try {
      tx.abort();
    } catch {
      // Already aborted or finished.
    }
    await tx.done.catch(() => undefined);
    throw toStorageError(error, tx.error);
  }
}

/**
 * Issues one request per item in the same transaction and waits for all. If issuing one throws
 * (a store can throw synchronously, e.g. on quota), those already issued get a handler: they
 * reject when the transaction aborts, and must not surface as unhandled rejections.
 */
function requests<I, T>(items: Iterable<I>, issue: (item: I) => Promise<T>): Promise<T[]> {
  const issued: Promise<T>[] = [];
  try {
    for (const item of items) issued.push(issue(item));
  } catch (error) {
    for (const p of issued) p.catch(() => undefined);
    return Promise.reject(error);
  }
  return Promise.all(issued);
}

/** Deletes the pixels and every backbone's embeddings of `hashes` that no image references any more. */
async function dropOrphans(tx: Tx<'readwrite'>, hashes: Iterable<string>): Promise<void> {
  const byHash = tx.objectStore('images').index('by-hash');
  const unique = [...new Set(hashes)];
  const counts = await requests(unique, (hash) => byHash.count(hash));
  const orphans = new Set(unique.filter((_, i) => counts[i] === 0));
  if (orphans.size === 0) return;
  const embeddings = tx.objectStore('embeddings');
  const stale = (await embeddings.getAllKeys()).filter((key) => orphans.has(key.slice(key.lastIndexOf(':') + 1)));
  const pixels = tx.objectStore('pixels');
  await requests(orphans, (hash) => pixels.delete(hash));
  await requests(stale, (key) => embeddings.delete(key));
}

/** All classes, in display order. */
export function listClasses(db: ProjectDb): Promise<ClassRecord[]> {
  return run(db, ['classes'], 'readonly', async (tx) => {
    const all = await tx.objectStore('classes').getAll();
    return all.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
  });
}

/** Adds or updates a class. */
export function putClass(db: ProjectDb, record: ClassRecord): Promise<void> {
  return run(db, ['classes'], 'readwrite', async (tx) => {
    await tx.objectStore('classes').put(record);
  });
}

/** Deletes a class, its images, and the pixels and embeddings no other image uses. */
export function deleteClass(db: ProjectDb, id: string): Promise<void> {
  return run(db, ['classes', 'images', 'pixels', 'embeddings'], 'readwrite', async (tx) => {
    const images = tx.objectStore('images');
    const records = await images.index('by-class').getAll(id);
    await tx.objectStore('classes').delete(id);
    await requests(records, (r) => images.delete(r.id));
    await dropOrphans(tx, records.map((r) => r.hash));
  });
}

/** Images of one class, or of the whole project, oldest first. */
export function listImages(db: ProjectDb, classId?: string): Promise<ImageRecord[]> {
  return run(db, ['images'], 'readonly', async (tx) => {
    const store = tx.objectStore('images');
    const all = classId === undefined ? await store.getAll() : await store.index('by-class').getAll(classId);
    return all.sort((a, b) => a.addedAt - b.addedAt || a.path.localeCompare(b.path));
  });
}

/** Number of images in one class, or in the whole project. */
export function countImages(db: ProjectDb, classId?: string): Promise<number> {
  return run(db, ['images'], 'readonly', (tx) => {
    const store = tx.objectStore('images');
    return classId === undefined ? store.count() : store.index('by-class').count(classId);
  });
}

/** Stores images and their training copies in ONE transaction: all are saved, or none. Returns the stored records. */
export function putImages(db: ProjectDb, records: readonly NewImageRecord[], pixels: ReadonlyMap<string, Blob>): Promise<ImageRecord[]> {
  const stored = records.map((r): ImageRecord => ({ ...r, id: imageId(r.classId, r.hash) }));
  return run(db, ['images', 'pixels'], 'readwrite', async (tx) => {
    const images = tx.objectStore('images');
    const blobs = tx.objectStore('pixels');
    await requests(stored, (r) => images.put(r));
    await requests(pixels, ([hash, blob]) => blobs.put(blob, hash));
    return stored;
  });
}

/** Deletes one image; its pixels and embeddings go too when no other class holds the same photo. */
export function deleteImage(db: ProjectDb, id: string): Promise<void> {
  return run(db, ['images', 'pixels', 'embeddings'], 'readwrite', async (tx) => {
    const images = tx.objectStore('images');
    const record = await images.get(id);
    if (!record) return;
    await images.delete(id);
    await dropOrphans(tx, [record.hash]);
  });
}

/**
 * Moves an image to another class (pixels and embeddings stay: they belong to the photo).
 * Returns the record now in `toClassId` (the one already there if the class held the same photo), or null if `id` is unknown.
 */
export function moveImage(db: ProjectDb, id: string, toClassId: string): Promise<ImageRecord | null> {
  return run(db, ['images'], 'readwrite', async (tx) => {
    const images = tx.objectStore('images');
    const record = await images.get(id);
    if (!record) return null;
    if (record.classId === toClassId) return record;
    const moved: ImageRecord = { ...record, classId: toClassId, id: imageId(toClassId, record.hash) };
    const existing = await images.get(moved.id);
    await images.delete(id);
    if (existing) return existing;
    await images.put(moved);
    return moved;
  });
}

/** The 224x224 JPEG training copy of a photo. */
export async function getPixels(db: ProjectDb, hash: string): Promise<Blob | undefined> {
  return (await getPixelsMany(db, [hash]))[0];
}

/**
 * The training copies of several photos, in order (undefined where one is missing), read in one
 * transaction: Chromium spends ~10 ms of its browser process per IndexedDB transaction on a
 * 20,000-photo database, so one per photo made embedding ten times slower than inference.
 */
export function getPixelsMany(db: ProjectDb, hashes: readonly string[]): Promise<(Blob | undefined)[]> {
  if (hashes.length === 0) return Promise.resolve([]);
  return run(db, ['pixels'], 'readonly', (tx) => {
    const store = tx.objectStore('pixels');
    return requests(hashes, (hash) => store.get(hash));
  });
}

/** Stored embeddings of one backbone for the given photos; missing ones are absent from the map. */
export function getEmbeddings(db: ProjectDb, backboneId: string, hashes: Iterable<string>): Promise<Map<string, Float32Array>> {
  const unique = [...new Set(hashes)];
  return run(db, ['embeddings'], 'readonly', async (tx) => {
    const store = tx.objectStore('embeddings');
    const values = await requests(unique, (hash) => store.get(embeddingKey(backboneId, hash)));
    const out = new Map<string, Float32Array>();
    unique.forEach((hash, i) => {
      const value = values[i];
      if (value) out.set(hash, value);
    });
    return out;
  });
}

/** The photos among `hashes` with no stored embedding for this backbone (reads keys only, not vectors). */
export function missingEmbeddings(db: ProjectDb, backboneId: string, hashes: Iterable<string>): Promise<string[]> {
  return run(db, ['embeddings'], 'readonly', async (tx) => {
    const prefix = embeddingKey(backboneId, '');
    const keys = await tx.objectStore('embeddings').getAllKeys(IDBKeyRange.bound(prefix, `${prefix}\uffff`));
    const stored = new Set(keys.map((k) => String(k).slice(prefix.length)));
    return [...new Set(hashes)].filter((h) => !stored.has(h));
  });
}

/** Stores embeddings of one backbone (a view into a bigger buffer is copied, so only its own floats are stored). */
export function putEmbeddings(db: ProjectDb, backboneId: string, embeddings: ReadonlyMap<string, Float32Array>): Promise<void> {
  return run(db, ['embeddings'], 'readwrite', async (tx) => {
    const store = tx.objectStore('embeddings');
    await requests(embeddings, ([hash, vector]) => {
      const own = vector.byteOffset === 0 && vector.byteLength === vector.buffer.byteLength ? vector : vector.slice();
      return store.put(own, embeddingKey(backboneId, hash));
    });
  });
}

/** A stored setting or artifact; the caller states its type (the value is whatever was put). */
export function getMeta<T>(db: ProjectDb, key: string): Promise<T | undefined> {
  return run(db, ['meta'], 'readonly', async (tx) => (await tx.objectStore('meta').get(key)) as T | undefined);
}

/** Stores a structured-cloneable value under `key`. */
export function putMeta(db: ProjectDb, key: string, value: unknown): Promise<void> {
  return run(db, ['meta'], 'readwrite', async (tx) => {
    await tx.objectStore('meta').put(value, key);
  });
}

/** Deletes a stored setting or artifact. */
export function deleteMeta(db: ProjectDb, key: string): Promise<void> {
  return run(db, ['meta'], 'readwrite', (tx) => tx.objectStore('meta').delete(key));
}

/** Empties the whole project (classes, images, pixels, embeddings and meta). */
export function clearProject(db: ProjectDb): Promise<void> {
  return run(db, ALL_STORES, 'readwrite', async (tx) => {
    await requests(ALL_STORES, (name) => tx.objectStore(name).clear());
  });
}
