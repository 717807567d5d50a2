import { wrap, type Remote } from 'comlink';
import { AppError } from '../lib/errors';
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

/**
 * Wraps a remote so that every call also fails as soon as the worker dies (an uncaught error
 * there), instead of waiting forever for an answer that will never come.
 */
function failFastOnDeath(remote: Remote<MlApi>, dead: Promise<never>): Remote<MlApi> {
  return new Proxy(remote, {
    get(target, key) {
      const member = Reflect.get(target, key) as unknown;
      if (typeof member !== 'function' || key === 'then') return member;
      return (...args: unknown[]) => Promise.race([(member as (...a: unknown[]) => Promise<unknown>)(...args), dead]);
    },
  });
}

async function connectWorker(config: EngineConfig): Promise<MlConnection> {
  const worker = new Worker(new URL('./ml.worker.ts', import.meta.url), { type: 'module', name: 'ml' });
  const dead = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      reject(new AppError('worker-failed', e.message || 'The ML worker stopped'));
    });
  });
  dead.catch(() => undefined);
  const api = failFastOnDeath(wrap<MlApi>(worker), dead);
  try {
    const backend = await api.init(config);
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
