import { getBackboneSpec, isBackboneId } from '../../ml/backbones/catalog';
import type { TrainSettings } from '../../ml/head/settings';
import type { ClassRecord, NewImageRecord } from '../../platform/project-db';
import type { TrainedModel } from '../../store/training-store';
import type { ProjectContents } from '../dataset/project-repo';
import { readZip } from '../export/zip-read';
import { int, list, num, obj, reject, text } from './json-check';
import { recordToModel } from './model-record';
import { PROJECT_FORMAT, PROJECT_LIMITS, PROJECT_VERSION } from './project-format';
import { readSettings } from './settings-check';

/** A project file, fully checked: ready to replace the stored project. */
export interface ProjectFileContents {
  contents: ProjectContents;
  settings: TrainSettings;
  model: TrainedModel | null;
}

const HASH = /^[0-9a-f]{64}$/;
const EXPECTED = 'a project file downloaded from the app (a .zip with project.json, pixels/ and embeddings/)';

/** Per entry: its size limit, or false to leave it in the zip. */
function wanted(name: string): number | false {
  if (name === 'project.json') return PROJECT_LIMITS.manifestBytes;
  if (name === 'model/head.bin') return 16 * 1024 * 1024;
  if (name === 'model/backbone.bin') return 64 * 1024 * 1024;
  if (/^pixels\/[0-9a-f]{64}\.jpg$/.test(name)) return PROJECT_LIMITS.pixelBytes;
  if (/^embeddings\/[a-z0-9_]{1,60}\.bin$/.test(name)) return PROJECT_LIMITS.embeddingBytes;
  return false;
}

function readClasses(v: unknown): ClassRecord[] {
  const classes = list(v, 'classes', PROJECT_LIMITS.classes).map((c, i) => {
    const o = obj(c, `classes[${i}]`);
    return { id: text(o.id, `classes[${i}].id`, 100, 1), name: text(o.name, `classes[${i}].name`, 200, 1), order: num(o.order, `classes[${i}].order`, -1e12, 1e12) };
  });
  if (new Set(classes.map((c) => c.id)).size !== classes.length) reject('Two classes share an id');
  return classes;
}

function readImages(v: unknown, classIds: ReadonlySet<string>): NewImageRecord[] {
  const seen = new Set<string>();
  return list(v, 'images', PROJECT_LIMITS.images).map((im, i) => {
    const o = obj(im, `images[${i}]`);
    const hash = text(o.hash, `images[${i}].hash`, 64, 64);
    if (!HASH.test(hash)) reject(`images[${i}].hash must be 64 lowercase hex digits (SHA-256)`);
    const classId = text(o.classId, `images[${i}].classId`, 100, 1);
    if (!classIds.has(classId)) reject(`images[${i}] is in a class the file does not define`);
    if (seen.has(`${classId}:${hash}`)) reject(`images[${i}] appears twice in the same class`);
    seen.add(`${classId}:${hash}`);
    return {
      hash,
      classId,
      path: text(o.path, `images[${i}].path`, 2000),
      name: text(o.name, `images[${i}].name`, 500),
      addedAt: num(o.addedAt, `images[${i}].addedAt`, 0, 1e15),
      width: int(o.width, `images[${i}].width`, 1, 100_000),
      height: int(o.height, `images[${i}].height`, 1, 100_000),
    };
  });
}

function readEmbeddings(v: unknown, hashes: ReadonlySet<string>, files: Record<string, Uint8Array>): Map<string, Map<string, Float32Array>> {
  const out = new Map<string, Map<string, Float32Array>>();
  for (const [i, e] of list(v, 'embeddings', 16).entries()) {
    const o = obj(e, `embeddings[${i}]`);
    const backboneId = text(o.backboneId, `embeddings[${i}].backboneId`, 60);
    if (!isBackboneId(backboneId)) reject(`embeddings[${i}] is for "${backboneId}", a backbone this app does not have`);
    if (out.has(backboneId)) reject(`Two embedding lists for ${backboneId}`);
    const dim = int(o.dim, `embeddings[${i}].dim`, 1, 4096);
    if (dim !== getBackboneSpec(backboneId).embeddingSize) reject(`${backboneId} embeddings have ${getBackboneSpec(backboneId).embeddingSize} values, the file says ${dim}`);
    const rows = list(o.hashes, `embeddings[${i}].hashes`, PROJECT_LIMITS.images).map((h) => text(h, 'an embedding hash', 64, 64));
    if (rows.some((h) => !hashes.has(h)) || new Set(rows).size !== rows.length) reject(`embeddings[${i}].hashes must be distinct hashes of the project's images`);
    const bytes = files[`embeddings/${backboneId}.bin`];
    if (!bytes) reject(`embeddings/${backboneId}.bin is missing`);
    if (bytes.byteLength !== rows.length * dim * 4) reject(`embeddings/${backboneId}.bin is ${bytes.byteLength} bytes; ${rows.length} rows of ${dim} float32 values need ${rows.length * dim * 4}`);
    const values = new Float32Array(bytes.slice().buffer);
    if (values.some((x) => !Number.isFinite(x))) reject(`embeddings/${backboneId}.bin holds values that are not finite numbers`);
    out.set(backboneId, new Map(rows.map((h, r) => [h, values.subarray(r * dim, (r + 1) * dim)])));
  }
  return out;
}

function isJpeg(bytes: Uint8Array): boolean {
  return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/**
 * Reads and checks a project file: every field's type and size, every reference (images to
 * classes, embeddings and pixels to images, the model to classes), byte lengths against declared
 * shapes. Nothing is written; a ProjectFileError (or a zip error) says what is wrong.
 */
export function readProjectFile(bytes: Uint8Array): ProjectFileContents {
  if (bytes.byteLength > PROJECT_LIMITS.fileBytes) reject(`The file is ${bytes.byteLength} bytes; the app opens project files up to ${PROJECT_LIMITS.fileBytes} bytes`);
  const files = readZip(bytes, wanted, { maxEntryBytes: PROJECT_LIMITS.embeddingBytes, maxTotalBytes: PROJECT_LIMITS.fileBytes, maxEntries: PROJECT_LIMITS.images + 64 }, EXPECTED);
  const manifestBytes = files['project.json'];
  if (!manifestBytes) reject(`There is no project.json in this zip. Expected ${EXPECTED}.`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(manifestBytes));
  } catch (error) {
    reject(`project.json is not valid JSON (${(error as Error).message.slice(0, 120)})`);
  }
  const m = obj(json, 'project.json');
  if (m.format !== PROJECT_FORMAT) reject(`project.json is not a Transfer Studio project (format ${JSON.stringify(m.format ?? null).slice(0, 40)}). Expected ${EXPECTED}.`);
  const version = int(m.version, 'version', 1, 1000);
  if (version > PROJECT_VERSION) reject(`This project file was written by a newer version of the app (layout ${version}; this app reads ${PROJECT_VERSION}). Update the app.`);
  const classes = readClasses(m.classes);
  const classIds = new Set(classes.map((c) => c.id));
  const images = readImages(m.images, classIds);
  const hashes = new Set(images.map((im) => im.hash));
  const pixels = new Map<string, Blob>();
  for (const hash of hashes) {
    const jpeg = files[`pixels/${hash}.jpg`];
    if (!jpeg) reject(`pixels/${hash.slice(0, 12)}….jpg is missing (every image needs its training copy)`);
    if (!isJpeg(jpeg)) reject(`pixels/${hash.slice(0, 12)}….jpg is not a JPEG`);
    pixels.set(hash, new Blob([jpeg as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }));
  }
  const embeddings = readEmbeddings(m.embeddings, hashes, files);
  const settings = readSettings(m.settings, 'settings');
  const model = m.model === null || m.model === undefined ? null : recordToModel(m.model, files['model/head.bin'], classIds, files['model/backbone.bin']);
  return { contents: { classes, images, pixels, embeddings, meta: new Map(model ? [['model', model]] : []) }, settings, model };
}
