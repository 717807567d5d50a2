import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../lib/errors';
import {
  clearProject,
  countImages,
  deleteClass,
  deleteImage,
  deleteMeta,
  getEmbeddings,
  getMeta,
  getPixels,
  getPixelsMany,
  imageId,
  listClasses,
  listImages,
  moveImage,
  openProjectDb,
  putClass,
  putEmbeddings,
  putImages,
  putMeta,
  toStorageError,
  type NewImageRecord,
  type ProjectDb,
} from './project-db';

let dbCount = 0;
const open: ProjectDb[] = [];
async function freshDb(): Promise<{ db: ProjectDb; name: string }> {
  const name = `test-project-${++dbCount}`;
  const db = await openProjectDb(name);
  open.push(db);
  return { db, name };
}
afterEach(() => {
  vi.restoreAllMocks();
  for (const db of open.splice(0)) db.close();
});

function hashOf(n: number): string {
  return n.toString(16).padStart(64, '0');
}
function image(classId: string, n: number, addedAt = n): NewImageRecord {
  return { hash: hashOf(n), classId, path: `${classId}/${n}.jpg`, name: `${n}.jpg`, addedAt, width: 400, height: 533 };
}
function jpegBlob(n: number): Blob {
  return new Blob([new Uint8Array([0xff, 0xd8, 0xff, n])], { type: 'image/jpeg' });
}
function pixelsFor(records: readonly NewImageRecord[]): Map<string, Blob> {
  return new Map(records.map((r, i) => [r.hash, jpegBlob(i)]));
}
function vector(seed: number): Float32Array {
  return Float32Array.from({ length: 1280 }, (_, i) => Math.sin(seed * 1000 + i));
}

/** Two classes: cats (images 1, 2, 3) and dogs (images 3, 4): photo 3 sits in both. */
async function seed(db: ProjectDb): Promise<void> {
  await putClass(db, { id: 'cats', name: 'Cats', order: 1 });
  await putClass(db, { id: 'dogs', name: 'Dogs', order: 2 });
  const records = [image('cats', 1), image('cats', 2), image('cats', 3), image('dogs', 3, 10), image('dogs', 4)];
  await putImages(db, records, pixelsFor(records));
  await putEmbeddings(db, 'mobilenet_v2', new Map([1, 2, 3, 4].map((n) => [hashOf(n), vector(n)])));
  await putEmbeddings(db, 'efficientnet', new Map([1, 3].map((n) => [hashOf(n), vector(-n)])));
}

describe('project-db', () => {
  it('round-trips classes, images, pixels, embeddings and meta across a reopen', async () => {
    const { db, name } = await freshDb();
    await putClass(db, { id: 'b', name: 'Second', order: 2 });
    await putClass(db, { id: 'a', name: 'First <b>', order: 1 });
    const stored = await putImages(db, [image('a', 2), image('a', 1), image('b', 1)], pixelsFor([image('a', 2), image('a', 1)]));
    expect(stored.map((r) => r.id)).toEqual([imageId('a', hashOf(2)), imageId('a', hashOf(1)), imageId('b', hashOf(1))]);
    await putEmbeddings(db, 'mobilenet_v2', new Map([[hashOf(1), vector(1)], [hashOf(2), vector(2)]]));
    await putMeta(db, 'settings', { epochs: 20, backbone: 'mobilenet_v2' });
    db.close();

    const again = await openProjectDb(name);
    open.push(again);
    expect(await listClasses(again)).toEqual([
      { id: 'a', name: 'First <b>', order: 1 },
      { id: 'b', name: 'Second', order: 2 },
    ]);
    expect((await listImages(again, 'a')).map((r) => r.name)).toEqual(['1.jpg', '2.jpg']); // oldest first
    expect(await listImages(again)).toHaveLength(3);
    expect(await countImages(again)).toBe(3);
    expect(await countImages(again, 'a')).toBe(2);
    expect(await countImages(again, 'nope')).toBe(0);
    const pixels = await getPixels(again, hashOf(1));
    expect(pixels).toBeInstanceOf(Blob);
    expect([...new Uint8Array(await pixels!.arrayBuffer())]).toEqual([0xff, 0xd8, 0xff, 1]);
    // Several at once, in the order asked, a missing one as undefined.
    const many = await getPixelsMany(again, [hashOf(2), hashOf(9), hashOf(1)]);
    expect(many.map((b) => b?.size)).toEqual([4, undefined, 4]);
    expect([...new Uint8Array(await many[2]!.arrayBuffer())]).toEqual([0xff, 0xd8, 0xff, 1]);
    expect(await getPixelsMany(again, [])).toEqual([]);
    const embeddings = await getEmbeddings(again, 'mobilenet_v2', [hashOf(1), hashOf(2), hashOf(9)]);
    expect([...embeddings.keys()]).toEqual([hashOf(1), hashOf(2)]);
    expect(embeddings.get(hashOf(1))).toBeInstanceOf(Float32Array);
    expect(embeddings.get(hashOf(1))).toEqual(vector(1));
    expect((await getEmbeddings(again, 'other', [hashOf(1)])).size).toBe(0);
    expect(await getMeta(again, 'settings')).toEqual({ epochs: 20, backbone: 'mobilenet_v2' });
    await deleteMeta(again, 'settings');
    expect(await getMeta(again, 'settings')).toBeUndefined();
  });

  it('stores only the floats of an embedding that views a bigger buffer', async () => {
    const { db } = await freshDb();
    const batch = new Float32Array(4 * 1280).map((_, i) => i);
    const second = batch.subarray(1280, 2560);
    await putEmbeddings(db, 'm', new Map([[hashOf(2), second]]));
    const back = (await getEmbeddings(db, 'm', [hashOf(2)])).get(hashOf(2))!;
    expect(back.length).toBe(1280);
    expect(back.buffer.byteLength).toBe(1280 * 4);
    expect(back[0]).toBe(1280);
  });

  it('deleting a class removes its images and the data only they used', async () => {
    const { db } = await freshDb();
    await seed(db);
    await deleteClass(db, 'cats');
    expect((await listClasses(db)).map((c) => c.id)).toEqual(['dogs']);
    expect((await listImages(db)).map((r) => r.id)).toEqual([imageId('dogs', hashOf(4)), imageId('dogs', hashOf(3))]);
    // Photos 1 and 2 were only in cats: gone. Photo 3 is still in dogs: kept, for every backbone.
    expect(await getPixels(db, hashOf(1))).toBeUndefined();
    expect(await getPixels(db, hashOf(2))).toBeUndefined();
    expect(await getPixels(db, hashOf(3))).toBeInstanceOf(Blob);
    expect([...(await getEmbeddings(db, 'mobilenet_v2', [1, 2, 3, 4].map(hashOf))).keys()]).toEqual([hashOf(3), hashOf(4)]);
    expect([...(await getEmbeddings(db, 'efficientnet', [1, 3].map(hashOf))).keys()]).toEqual([hashOf(3)]);
  });

  it('deleting an image keeps data the other class still uses, then drops it with the last image', async () => {
    const { db } = await freshDb();
    await seed(db);
    await deleteImage(db, imageId('cats', hashOf(3)));
    expect(await getPixels(db, hashOf(3))).toBeInstanceOf(Blob);
    expect(await countImages(db, 'cats')).toBe(2);
    await deleteImage(db, imageId('dogs', hashOf(3)));
    expect(await getPixels(db, hashOf(3))).toBeUndefined();
    expect((await getEmbeddings(db, 'efficientnet', [hashOf(3)])).size).toBe(0);
    await deleteImage(db, 'no-such-id'); // no error
  });

  it('moves an image to another class, merging with the same photo already there', async () => {
    const { db } = await freshDb();
    await seed(db);
    const moved = await moveImage(db, imageId('cats', hashOf(1)), 'dogs');
    expect(moved).toMatchObject({ id: imageId('dogs', hashOf(1)), classId: 'dogs', path: 'cats/1.jpg' });
    expect(await countImages(db, 'cats')).toBe(2);
    expect(await countImages(db, 'dogs')).toBe(3);
    expect((await getEmbeddings(db, 'mobilenet_v2', [hashOf(1)])).size).toBe(1);
    const merged = await moveImage(db, imageId('cats', hashOf(3)), 'dogs');
    expect(merged).toMatchObject({ id: imageId('dogs', hashOf(3)), addedAt: 10 });
    expect(await countImages(db, 'cats')).toBe(1);
    expect(await countImages(db, 'dogs')).toBe(3);
    expect(await moveImage(db, 'no-such-id', 'dogs')).toBeNull();
  });

  it('clears the whole project', async () => {
    const { db } = await freshDb();
    await seed(db);
    await putMeta(db, 'head', { weights: new Float32Array([1, 2]) });
    await clearProject(db);
    expect(await listClasses(db)).toEqual([]);
    expect(await countImages(db)).toBe(0);
    expect(await getPixels(db, hashOf(1))).toBeUndefined();
    expect((await getEmbeddings(db, 'mobilenet_v2', [hashOf(1)])).size).toBe(0);
    expect(await getMeta(db, 'head')).toBeUndefined();
  });

  it('keeps many images in one put', async () => {
    const { db } = await freshDb();
    const records = Array.from({ length: 500 }, (_, i) => image(i % 2 ? 'a' : 'b', i));
    await putImages(db, records, pixelsFor(records));
    expect(await countImages(db, 'a')).toBe(250);
    expect(await countImages(db)).toBe(500);
  });
});

describe('project-db quota errors', () => {
  const quota = (): DOMException => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

  it('maps a put that throws QuotaExceededError to AppError("quota-exceeded") and writes nothing', async () => {
    const { db } = await freshDb();
    const records = [image('a', 1), image('a', 2)];
    const realPut = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'pixels' && args[1] === hashOf(2)) throw quota();
      return realPut.apply(this, args);
    });
    const error = await putImages(db, records, pixelsFor(records)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'quota-exceeded' });
    vi.restoreAllMocks();
    expect(await countImages(db)).toBe(0); // all or nothing: the images put before the failure were rolled back
    expect(await getPixels(db, hashOf(1))).toBeUndefined();
  });

  it('maps a quota failure that aborts the transaction (the request fails later) too', async () => {
    const { db } = await freshDb();
    await putClass(db, { id: 'a', name: 'A', order: 1 });
    // fake-indexeddb runs each request's operation later; make the embeddings write fail there,
    // which aborts the transaction with transaction.error = QuotaExceededError, as browsers do.
    interface TxInternals {
      _execRequestAsync(obj: { source?: { name?: string } | null; operation: () => unknown }): unknown;
    }
    const proto = IDBTransaction.prototype as unknown as TxInternals;
    const realExec = proto._execRequestAsync;
    expect(typeof realExec).toBe('function');
    vi.spyOn(proto, '_execRequestAsync').mockImplementation(function (this: TxInternals, obj) {
      if (obj.source?.name !== 'embeddings') return realExec.call(this, obj);
      return realExec.call(this, { ...obj, operation: () => { throw quota(); } });
    });
    const error = await putEmbeddings(db, 'm', new Map([[hashOf(1), vector(1)]])).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'AppError', code: 'quota-exceeded' });
    vi.restoreAllMocks();
    expect((await getEmbeddings(db, 'm', [hashOf(1)])).size).toBe(0);
    expect(await listClasses(db)).toHaveLength(1); // what was there before is intact
  });

  it('recognises quota errors on the request or on the transaction, and passes other errors through', () => {
    expect(toStorageError(quota())).toMatchObject({ code: 'quota-exceeded' });
    expect(toStorageError(new DOMException('aborted', 'AbortError'), quota())).toMatchObject({ code: 'quota-exceeded' });
    expect(toStorageError({ name: 'NS_ERROR_DOM_QUOTA_REACHED' })).toMatchObject({ code: 'quota-exceeded' });
    const other = new DOMException('x', 'DataError');
    expect(toStorageError(other, null)).toBe(other);
  });
});
