import { wrap, type Remote } from 'comlink';
import type { BackendInfo } from '../ml/backend';
import type { EngineConfig, MlApi } from './ml-api';

/** Where the engine runs: a Web Worker, or the main thread where WebGL-in-worker is missing. */
export type EngineHost = 'worker' | 'main-thread';

/** A connected engine: the API (same shape either way), where it runs, and its backend. */
export interface MlConnection {
  api: MlApi | Remote<MlApi>;
  host: EngineHost;
  backend: BackendInfo;
  /** Stops the worker, if any. */
  close(): void;
}

async function connectWorker(config: EngineConfig): Promise<MlConnection> {
  const worker = new Worker(new URL('./ml.worker.ts', import.meta.url), { type: 'module', name: 'ml' });
  const api = wrap<MlApi>(worker);
  const failed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (e) => reject(new Error(e.message || 'The ML worker failed to start')));
  });
  try {
    const backend = await Promise.race([api.init(config), failed]);
    return { api, host: 'worker', backend, close: () => worker.terminate() };
  } catch (error) {
    worker.terminate();
    throw error;
  }
}

async function connectMainThread(config: EngineConfig): Promise<MlConnection> {
  const { MlEngine } = await import('./ml-engine');
  const api = new MlEngine();
  const backend = await api.init(config);
  return { api, host: 'main-thread', backend, close: () => undefined };
}

/**
 * Starts the engine in a worker; falls back to the main thread when the worker cannot start
 * or cannot get the requested backend there (e.g. no WebGL through OffscreenCanvas).
 */
export async function connectMl(config: EngineConfig): Promise<MlConnection> {
  let viaWorker: MlConnection | null = null;
  try {
    viaWorker = await connectWorker(config);
    if (config.backend === 'auto' || viaWorker.backend.name === config.backend) return viaWorker;
  } catch {
    // No worker (or no backend in it): fall through to the main thread.
  }
  try {
    const main = await connectMainThread(config);
    if (!viaWorker || (config.backend !== 'auto' && main.backend.name === config.backend)) {
      viaWorker?.close();
      return main;
    }
  } catch (error) {
    if (!viaWorker) throw error;
  }
  return viaWorker;
}
