import { toErrorInfo } from '../lib/errors';
import type { BackboneId } from '../ml/backbones/catalog';
import { classify } from '../ml/export/load-classifier';
import { predictHead } from '../ml/head/train-head';
import { batchFromRgba } from '../ml/image-batch';
import { sha256Hex } from '../lib/hash';
import { inspectImageFile } from '../platform/file-sniff';
import { decodeSquare, type DecodeSource } from '../platform/image-decode';
import { makeTrainingCopy } from '../platform/training-copy';
import { checkEmbeddingRows, type BackboneService } from './backbone-service';
import type { DebugGates } from './debug-gates';
import type { ModelLock } from './model-lock';
import type { ModelState, OpenedModel } from './model-state';
import type { ImportedFile, PredictionResult, PreparedImage, ProbeResult } from './ml-api';

type Decoded = { ok: true; rgba: Uint8ClampedArray } | { ok: false; error: ReturnType<typeof toErrorInfo> };

/** Decodes each file to the `size` square, keeping per-file failures. */
function decodeAll(files: Blob[], size: number): Promise<Decoded[]> {
  return Promise.all(files.map((f) => decodeSquare(f, size).then((rgba): Decoded => ({ ok: true, rgba }), (e: unknown): Decoded => ({ ok: false, error: toErrorInfo(e) }))));
}

/** Spreads `k`-wide probability rows back over the decoded list (failures keep their error). */
function spread(decoded: Decoded[], probs: Float32Array, count: number): PredictionResult[] {
  const k = probs.length / Math.max(count, 1);
  let next = 0;
  return decoded.map((d) => {
    if (!d.ok) return { ok: false, error: d.error };
    const i = next++;
    return { ok: true, probabilities: probs.slice(i * k, (i + 1) * k) };
  });
}

/**
 * Everything that reads the models: import preparation, embedding, probe and predictions. Each
 * holds the models through `ModelLock.read`, so a change cannot free them mid-call.
 */
export class PredictService {
  constructor(
    private readonly lock: ModelLock,
    private readonly backbones: BackboneService,
    private readonly models: ModelState,
    private readonly gates: DebugGates,
  ) {}

  probe(file: Blob, topK: number): Promise<ProbeResult> {
    return this.lock.read(async () => {
      const backbone = this.backbones.current;
      const size = backbone.spec.inputSize;
      const t0 = performance.now();
      const batch = batchFromRgba([await decodeSquare(file, size)], size);
      const t1 = performance.now();
      const [embedding] = await backbone.embed(batch);
      const t2 = performance.now();
      const [imagenet] = await backbone.imagenetTopK(batch, topK);
      if (!embedding) throw new Error('The backbone returned no embedding');
      return { embedding, decodeMs: t1 - t0, embedMs: t2 - t1, imagenet: imagenet ?? [] };
    });
  }

  /** `bytes`: the file's bytes when already read (hashed instead of reading the file again). */
  async prepareImage(file: Blob, source: DecodeSource = 'unchecked', bytes?: Uint8Array): Promise<PreparedImage> {
    const [hash, copy] = await Promise.all([sha256Hex(bytes ?? file), makeTrainingCopy(file, source)]);
    return { hash, width: copy.width, height: copy.height, jpeg: copy.jpeg };
  }

  async importFile(file: Blob, name: string): Promise<ImportedFile> {
    await this.gates.pass('import');
    const check = await inspectImageFile(file, name);
    if (!check.ok) return check;
    // A small file was read whole by the check: hashed from those bytes (one read of it, not two).
    return { ok: true, ...(await this.prepareImage(file, 'checked', check.bytes)) };
  }

  /** Embeddings of training copies by backbone `backboneId`; refused when another backbone is loaded. */
  embedTrainingCopies(jpegs: Blob[], backboneId?: BackboneId): Promise<Float32Array[]> {
    return this.lock.read(async () => {
      await this.gates.pass('embed');
      const backbone = backboneId ? this.backbones.expect(backboneId) : this.backbones.current;
      const size = backbone.spec.inputSize;
      const rgba = await Promise.all(jpegs.map((j) => decodeSquare(j, size, 'checked'))); // our own training copies
      return checkEmbeddingRows(backbone, await backbone.embed(batchFromRgba(rgba, size)), jpegs.length);
    });
  }

  predictFiles(files: Blob[]): Promise<PredictionResult[]> {
    return this.lock.read(async () => {
      const opened = this.models.classifier;
      if (opened) return this.openedPredictFiles(files, opened);
      // Taken before the awaits below, and kept alive by the read: a swap waits for this call.
      const head = this.models.trainedHead;
      const backbone = this.backbones.current;
      await this.gates.pass('predict');
      const size = backbone.spec.inputSize;
      const decoded = await decodeAll(files, size);
      const good = decoded.flatMap((d) => (d.ok ? [d.rgba] : []));
      const rows = good.length ? await this.models.embed(backbone, batchFromRgba(good, size)) : [];
      const dim = backbone.spec.embeddingSize;
      const flat = new Float32Array(rows.length * dim);
      rows.forEach((r, i) => flat.set(r, i * dim));
      const probs = rows.length ? predictHead(head, flat, dim) : new Float32Array(0);
      return spread(decoded, probs, rows.length);
    });
  }

  predictRgba(rgba: Uint8ClampedArray): Promise<Float32Array> {
    return this.lock.read(async () => {
      const opened = this.models.classifier;
      if (opened) return classify(opened.model, batchFromRgba([rgba], 224), opened.range);
      const head = this.models.trainedHead;
      const backbone = this.backbones.current;
      await this.gates.pass('predict');
      const [row] = await this.models.embed(backbone, batchFromRgba([rgba], backbone.spec.inputSize));
      if (!row) throw new Error('The backbone returned no embedding');
      return predictHead(head, row, row.length);
    });
  }

  private async openedPredictFiles(files: Blob[], opened: OpenedModel): Promise<PredictionResult[]> {
    const decoded = await decodeAll(files, 224);
    const good = decoded.flatMap((d) => (d.ok ? [d.rgba] : []));
    const probs = good.length ? await classify(opened.model, batchFromRgba(good, 224), opened.range) : new Float32Array(0);
    return spread(decoded, probs, good.length);
  }
}
