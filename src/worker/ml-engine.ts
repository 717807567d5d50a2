import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendInfo } from '../ml/backend';
import { createBackbone } from '../ml/backbones/create-backbone';
import type { BackboneId } from '../ml/backbones/catalog';
import type { Backbone } from '../ml/backbones/types';
import { batchFromRgba } from '../ml/image-batch';
import { decodeSquare } from '../platform/image-decode';
import type { EngineConfig, MlApi, ProbeResult } from './ml-api';

/** The MlApi implementation; the same code runs in the worker and on the main thread. */
export class MlEngine implements MlApi {
  private config: EngineConfig | null = null;
  private readonly backbones = new Map<BackboneId, Backbone>();
  private current: Backbone | null = null;
  private wanted: BackboneId | null = null;

  async init(config: EngineConfig): Promise<BackendInfo> {
    this.config = config;
    return initBackend(config.backend, config.wasmBaseUrl);
  }

  async useBackbone(id: BackboneId): Promise<{ loadMs: number }> {
    if (!this.config) throw new Error('Engine not initialised');
    const started = performance.now();
    this.wanted = id;
    let backbone = this.backbones.get(id);
    if (!backbone) {
      backbone = createBackbone(id, { url: `${this.config.modelBaseUrl}/${id}` });
      await backbone.load();
      this.backbones.set(id, backbone);
    }
    // A later call may have asked for another backbone while this one loaded.
    if (this.wanted === id) this.current = backbone;
    return { loadMs: performance.now() - started };
  }

  async probe(file: Blob, topK: number): Promise<ProbeResult> {
    const backbone = this.current;
    if (!backbone) throw new Error('No backbone selected');
    const size = backbone.spec.inputSize;
    const t0 = performance.now();
    const rgba = await decodeSquare(file, size);
    const batch = batchFromRgba([rgba], size);
    const t1 = performance.now();
    const [embedding] = await backbone.embed(batch);
    const t2 = performance.now();
    const [imagenet] = await backbone.imagenetTopK(batch, topK);
    if (!embedding) throw new Error('The backbone returned no embedding');
    return { embedding, decodeMs: t1 - t0, embedMs: t2 - t1, imagenet: imagenet ?? [] };
  }

  async tensorCount(): Promise<number> {
    return tf.memory().numTensors;
  }
}
