import { wrap, type Remote } from 'comlink';
import { AppError } from '../lib/errors';
import type { BackendInfo } from '../ml/backend';
import { installErrorTransfer } from './error-transfer';
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
  /** Calls `listener` once if the worker dies (crash, unreadable message, silence); never for the main thread. */
  onDeath(listener: (error: AppError) => void): void;
}

/** How the client watches a worker. */
export interface WatchOptions {
  /**
   * A worker that has not answered a ping for this long while a call is pending is taken for
   * dead (it may have been killed without an error event). Long, since one fine-tune step on the
   * wasm CPU-kernel path holds the worker's thread for up to a minute.
   */
  livenessMs?: number;
}

/** Default liveness limit, milliseconds. */
export const DEFAULT_LIVENESS_MS = 180_000;
/** How often a busy worker is pinged, milliseconds. */
const PING_EVERY_MS = 1_000;

installErrorTransfer();

/**
 * Watches a worker: it dies on its `error` event, on a `messageerror`, or when it stops
 * answering pings while calls are pending. Death terminates it for real (a worker keeps running
 * after an uncaught error), fails every pending and later call at once, and tells listeners.
 */
export class WorkerWatch {
  private pending = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  /** When the unanswered ping was sent (null: none out); `pingToken` ignores answers to pings from before a stop. */
  private pingSentAt: number | null = null;
  private pingToken = 0;
  /** Pings only once the engine has started: start-up (wasm compile, WebGL probe) may hold the thread for long. */
  private armed = false;
  private readonly listeners: ((error: AppError) => void)[] = [];
  private rejectDead: (error: AppError) => void = () => undefined;
  /** Rejects when the worker dies. */
  readonly dead: Promise<never>;
  deathError: AppError | null = null;

  constructor(
    private readonly worker: Pick<Worker, 'addEventListener' | 'terminate'>,
    private readonly ping: () => Promise<unknown>,
    private readonly livenessMs: number,
  ) {
    this.dead = new Promise<never>((_, reject) => {
      this.rejectDead = reject;
    });
    this.dead.catch(() => undefined);
    worker.addEventListener('error', (e: ErrorEvent) => {
      e.preventDefault();
      this.die(e.message || 'The ML worker stopped');
    });
    worker.addEventListener('messageerror', () => this.die('A message from the ML worker could not be read'));
  }

  /** Starts the liveness check (after a successful start-up). */
  arm(): void {
    this.armed = true;
    if (this.pending > 0) this.startPinging();
  }

  onDeath(listener: (error: AppError) => void): void {
    if (this.deathError) listener(this.deathError);
    else this.listeners.push(listener);
  }

  /** Runs a call, failing it as soon as the worker dies. */
  async call<T>(run: () => Promise<T>): Promise<T> {
    if (this.deathError) throw this.deathError;
    this.pending++;
    this.startPinging();
    try {
      return await Promise.race([run(), this.dead]);
    } finally {
      this.pending--;
      if (this.pending === 0) this.stopPinging();
    }
  }

  close(): void {
    this.stopPinging();
    this.worker.terminate();
  }

  private die(message: string): void {
    if (this.deathError) return;
    this.deathError = new AppError('worker-failed', message);
    this.close();
    this.rejectDead(this.deathError);
    for (const listener of this.listeners.splice(0)) listener(this.deathError);
  }

  private startPinging(): void {
    if (this.timer || !this.armed) return;
    this.timer = setInterval(() => {
      const now = Date.now();
      if (this.pingSentAt !== null) {
        if (now - this.pingSentAt > this.livenessMs) this.die(`The ML worker stopped answering (no reply in ${Math.round(this.livenessMs / 1000)} s)`);
        return;
      }
      const token = ++this.pingToken;
      this.pingSentAt = now;
      this.ping().then(
        () => {
          if (token === this.pingToken) this.pingSentAt = null;
        },
        () => undefined,
      );
    }, PING_EVERY_MS);
  }

  private stopPinging(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    // An idle worker is not watched: the next call starts afresh, not from a ping sent before.
    this.pingSentAt = null;
    this.pingToken++;
  }
}

/** A remote whose every call goes through the watch (fails at once when the worker dies). */
function watched(remote: Remote<MlApi>, watch: WorkerWatch): Remote<MlApi> {
  return new Proxy(remote, {
    get(target, key) {
      const member = Reflect.get(target, key) as unknown;
      if (typeof member !== 'function' || key === 'then') return member;
      return (...args: unknown[]) => watch.call(() => (member as (...a: unknown[]) => Promise<unknown>)(...args));
    },
  });
}

/** Starts the engine in a worker only (no main-thread fallback): for a second engine that shares work. */
export async function connectWorker(config: EngineConfig, options: WatchOptions = {}): Promise<MlConnection> {
  const worker = new Worker(new URL('./ml.worker.ts', import.meta.url), { type: 'module', name: 'ml' });
  const remote = wrap<MlApi>(worker);
  const watch = new WorkerWatch(worker, () => remote.ping(), options.livenessMs ?? DEFAULT_LIVENESS_MS);
  const api = watched(remote, watch);
  try {
    const backend = await api.init(config);
    watch.arm();
    return { api, host: 'worker', backend, close: () => watch.close(), onDeath: (l) => watch.onDeath(l) };
  } catch (error) {
    watch.close();
    throw error;
  }
}

async function connectMainThread(config: EngineConfig): Promise<MlConnection> {
  const { MlEngine } = await import('./ml-engine');
  const api = new MlEngine();
  const backend = await api.init(config);
  return { api, host: 'main-thread', backend, close: () => undefined, onDeath: () => undefined };
}

/**
 * Starts the engine in a worker; falls back to the main thread when the worker cannot start
 * or cannot get the requested backend there (e.g. no WebGL through OffscreenCanvas).
 */
export async function connectMl(config: EngineConfig, options: WatchOptions = {}): Promise<MlConnection> {
  let viaWorker: MlConnection | null = null;
  try {
    viaWorker = await connectWorker(config, options);
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
