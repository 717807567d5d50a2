import { strToU8, zipSync, type Zippable } from 'fflate';
import { BACKBONES } from '../../ml/backbones/catalog';
import { downloadBlob } from '../../platform/download';
import { useTrainingStore, type TrainedModel } from '../../store/training-store';
import * as repo from '../dataset/project-repo';
import { APP_VERSION } from '../export/metadata';
import { modelToRecord } from './model-record';
import { PROJECT_FORMAT, PROJECT_VERSION, type EmbeddingsEntry, type ProjectManifest } from './project-format';

/** Rows of float32 values as one byte array, in `hashes` order. */
function packRows(hashes: readonly string[], rows: ReadonlyMap<string, Float32Array>, dim: number): Uint8Array {
  const out = new Float32Array(hashes.length * dim);
  hashes.forEach((h, i) => {
    const row = rows.get(h);
    if (row) out.set(row, i * dim);
  });
  return new Uint8Array(out.buffer);
}

/** Photos read from IndexedDB per transaction. */
const READ_BATCH = 64;

/**
 * The stored project as a zip: project.json, pixels/<hash>.jpg, embeddings/<backbone>.bin for
 * every backbone with cached embeddings, model/head.bin when a model was trained, and
 * model/backbone.bin when its backbone was fine-tuned.
 * `onProgress` gets a short line while photos are read.
 */
export async function buildProjectZip(onProgress: (line: string) => void = () => undefined): Promise<Uint8Array> {
  const { classes, images } = await repo.listRecords();
  const hashes = [...new Set(images.map((im) => im.hash))];
  const files: Zippable = {};
  for (let i = 0; i < hashes.length; i += READ_BATCH) {
    const batch = hashes.slice(i, i + READ_BATCH);
    const blobs = await repo.getPixelsMany(batch);
    for (const [j, hash] of batch.entries()) {
      const blob = blobs[j];
      if (blob) files[`pixels/${hash}.jpg`] = [new Uint8Array(await blob.arrayBuffer()), { level: 0 }];
    }
    onProgress(`Reading photos: ${i} of ${hashes.length}`);
  }
  const embeddings: EmbeddingsEntry[] = [];
  for (const spec of BACKBONES) {
    const rows = await repo.getEmbeddings(spec.id, hashes);
    if (rows.size === 0) continue;
    const present = hashes.filter((h) => rows.get(h)?.length === spec.embeddingSize);
    embeddings.push({ backboneId: spec.id, dim: spec.embeddingSize, hashes: present });
    files[`embeddings/${spec.id}.bin`] = [packRows(present, rows, spec.embeddingSize), { level: 0 }];
  }
  const model = await repo.getMeta<TrainedModel>('model');
  const record = model ? modelToRecord(model) : null;
  if (record) files['model/head.bin'] = [record.bin, { level: 0 }];
  if (record?.backboneBin) files['model/backbone.bin'] = [record.backboneBin, { level: 0 }];
  const manifest: ProjectManifest = {
    format: PROJECT_FORMAT,
    version: PROJECT_VERSION,
    appVersion: APP_VERSION,
    savedAt: new Date().toISOString(),
    classes: classes.map(({ id, name, order }) => ({ id, name, order })),
    images: images.map(({ hash, classId, path, name, addedAt, width, height }) => ({ hash, classId, path, name, addedAt, width, height })),
    embeddings,
    settings: useTrainingStore.getState().settings,
    model: record?.json ?? null,
  };
  files['project.json'] = [strToU8(JSON.stringify(manifest)), { level: 6 }];
  onProgress('Packing the project file…');
  return zipSync(files);
}

/** Downloads the whole project as one .zip. */
export async function downloadProject(onProgress?: (line: string) => void): Promise<void> {
  const zip = await buildProjectZip(onProgress);
  downloadBlob(new Blob([zip as Uint8Array<ArrayBuffer>], { type: 'application/zip' }), 'transfer-studio-project.zip');
}
