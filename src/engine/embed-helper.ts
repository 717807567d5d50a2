import { getBackboneSpec, type BackboneId } from '../ml/backbones/catalog';
import { singleEmbedWorkerFromSearch } from '../lib/url-params';
import { useEngineStore } from '../store/engine-store';
import { connectWorker, type MlConnection } from '../worker/ml-client';
import { engineConfig, engineWatchOptions } from './connection';

/**
 * A second engine worker that embeds training copies beside the main one (issue 17, item 2: use
 * every core). tfjs-wasm runs one thread per worker, so on the CPU backend one engine used one
 * core; two engines embed about twice as many photos a second on two cores. It starts only for
 * big enough jobs (its start, wasm compile + weights + warm-up, is about 2 s), only on the wasm
 * backend (on WebGL both would share one GPU), and is closed when the job ends, giving back its
 * memory (its own wasm heap and a copy of the backbone's weights).
 */

/**
 * Least work (photos x the backbone's millions of multiply-adds a photo) for which the second
 * engine pays for its start: about 100 photos on MobileNetV2 1.0 or V1 0.75, 500 on the small
 * backbones. Measured on 300 photos (bench/RESULTS.md, "Two engines"): +26% img/s on the big
 * backbones, -4% to -18% on the small ones, whose whole job lasts about as long as the start.
 */
export const HELPER_MIN_MEGA_MACS = 30_000;

let helper: { backboneId: BackboneId; ready: Promise<MlConnection | null> } | null = null;

/** Whether embedding `missing` photos with `backboneId` should bring in the second engine. */
export function helperWanted(missing: number, backboneId: BackboneId): boolean {
  const { backend, embedThreads } = useEngineStore.getState();
  if (missing * getBackboneSpec(backboneId).megaMacs < HELPER_MIN_MEGA_MACS || backend?.name !== 'wasm' || typeof window === 'undefined') return false;
  // The main engine's LiteRT.js already embeds on several threads: a second engine would only
  // compete for the same cores.
  if (embedThreads > 1) return false;
  return (navigator.hardwareConcurrency ?? 1) >= 2 && !singleEmbedWorkerFromSearch(window.location.search);
}

/** The second engine with `backboneId` loaded (started once), or null when it cannot start. */
export function startEmbedHelper(backboneId: BackboneId): Promise<MlConnection | null> {
  if (helper?.backboneId === backboneId) return helper.ready;
  closeEmbedHelper();
  const ready = (async () => {
    let c: MlConnection | null = null;
    try {
      c = await connectWorker(engineConfig('wasm'), engineWatchOptions());
      await c.api.useBackbone(backboneId);
      return c;
    } catch {
      c?.close();
      return null; // the main engine does the whole job, as before
    }
  })();
  helper = { backboneId, ready };
  return ready;
}

/** Stops the second engine, if any (its memory goes back). */
export function closeEmbedHelper(): void {
  const h = helper;
  helper = null;
  void h?.ready.then((c) => c?.close());
}
