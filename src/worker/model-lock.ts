import { AppError } from '../lib/errors';

type Mode = 'read' | 'write';

interface Waiter {
  mode: Mode;
  start: () => void;
  cancel: (reason: unknown) => void;
}

/**
 * The engine's models (backbones, head, fine-tuned copy, opened model) behind one lock, after
 * Squoosh's worker bridge (one queue, an AbortSignal per call):
 * - `change` runs calls that replace or free models one at a time, in call order;
 * - `read` lets calls that use models (predictions, embedding, export) run together, and holds
 *   the models they use across their awaits;
 * - `swap`, used inside a change, waits until no read holds the models, and keeps new reads out
 *   while it frees or installs them.
 * A call still queued when its signal aborts is refused with `aborted` and never runs.
 */
export class ModelLock {
  private changes: Promise<unknown> = Promise.resolve();
  private readers = 0;
  private writing = false;
  private readonly waiting: Waiter[] = [];

  /** Runs `body` after every change queued before it, and before any queued after it. */
  change<T>(body: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const run = this.changes.then(() => {
      signal?.throwIfAborted();
      return body();
    });
    this.changes = run.catch(() => undefined);
    return run.catch((error: unknown) => {
      throw signal?.aborted && error === signal.reason ? abortedError() : error;
    });
  }

  /** Runs `body` while it holds the models: no swap frees them until it ends. */
  read<T>(body: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.hold('read', body, signal);
  }

  /** Runs `body` (which frees or installs models) when no read holds them. */
  swap<T>(body: () => Promise<T> | T): Promise<T> {
    return this.hold('write', async () => body());
  }

  /** Reads running now (for tests). */
  get activeReads(): number {
    return this.readers;
  }

  private async hold<T>(mode: Mode, body: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(mode, signal);
    try {
      return await body();
    } finally {
      if (mode === 'read') this.readers--;
      else this.writing = false;
      this.wake();
    }
  }

  private acquire(mode: Mode, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortedError());
    // Queued writers go first, so a stream of webcam frames cannot keep a swap out forever.
    if (this.waiting.length === 0 && this.canStart(mode)) {
      this.take(mode);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        mode,
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        cancel: reject,
      };
      const onAbort = () => {
        const i = this.waiting.indexOf(waiter);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(abortedError());
        this.wake();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private canStart(mode: Mode): boolean {
    return mode === 'read' ? !this.writing : !this.writing && this.readers === 0;
  }

  private take(mode: Mode): void {
    if (mode === 'read') this.readers++;
    else this.writing = true;
  }

  private wake(): void {
    while (this.waiting.length > 0) {
      const next = this.waiting[0] as Waiter;
      if (!this.canStart(next.mode)) return;
      this.waiting.shift();
      this.take(next.mode);
      next.start();
    }
  }
}

function abortedError(): AppError {
  return new AppError('aborted', 'The call was cancelled before it ran');
}
