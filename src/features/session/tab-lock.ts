/**
 * One tab owns the project. Two tabs writing one IndexedDB project diverge (one imports while the
 * other shows a stale list; a class deleted in one comes back from the other), so the first tab
 * takes a Web Lock and holds it until it closes; a later tab waits, says so, and can take over:
 * it asks the owner (BroadcastChannel) to let go, the owner reloads into the waiting state (which
 * stops whatever it was doing, as closing it would), and the lock passes to the tab that asked.
 * Where Web Locks are missing (old browsers, pages not served over https or localhost) every tab
 * owns the project, as before.
 */
export const LOCK_NAME = 'transfer-studio:project';
const CHANNEL_NAME = 'transfer-studio:tabs';

/** The parts of the Web Locks API used here (injectable for tests). */
export interface LockManagerLike {
  request(name: string, options: { ifAvailable?: boolean }, callback: (lock: unknown) => Promise<unknown>): Promise<unknown>;
}

/** The parts of BroadcastChannel used here. */
export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  close(): void;
}

export interface TabLockDeps {
  locks: LockManagerLike | null;
  channel: () => ChannelLike | null;
  /** What the owner does when another tab takes over: reload (the default) stops all its work. */
  letGo: () => void;
}

const TAKE_OVER = 'take-over';

function defaultDeps(): TabLockDeps {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks ?? null;
  return {
    locks: locks as LockManagerLike | null,
    channel: () => (typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL_NAME) : null),
    letGo: () => window.location.reload(),
  };
}

/** Holds the lock until the page goes away, and lets go when another tab asks to take over. */
function hold(deps: TabLockDeps): Promise<unknown> {
  const channel = deps.channel();
  channel?.addEventListener('message', (event) => {
    if (event.data === TAKE_OVER) {
      channel.close();
      deps.letGo();
    }
  });
  return new Promise(() => undefined);
}

function requestIfAvailable(locks: LockManagerLike, deps: TabLockDeps): Promise<boolean> {
  return new Promise<boolean>((resolve, reject) => {
    locks
      .request(LOCK_NAME, { ifAvailable: true }, (lock) => {
        if (!lock) {
          resolve(false);
          return Promise.resolve();
        }
        resolve(true);
        return hold(deps);
      })
      .catch(reject);
  });
}

/**
 * Tries to own the project: true when this tab owns it (or locks are unsupported). A reloaded
 * tab's previous page may still hold the lock for a moment while it unloads, so a busy lock is
 * asked again a few times over `graceMs` before another tab is taken to hold it.
 */
export async function tryOwnProject(deps: TabLockDeps = defaultDeps(), graceMs = 1000): Promise<boolean> {
  const { locks } = deps;
  if (!locks) return true;
  const until = Date.now() + graceMs;
  for (;;) {
    if (await requestIfAvailable(locks, deps)) return true;
    if (Date.now() >= until) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Asks the owning tab to let go and resolves once this tab owns the project. */
export function takeOverProject(deps: TabLockDeps = defaultDeps()): Promise<void> {
  const { locks } = deps;
  if (!locks) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    locks
      .request(LOCK_NAME, {}, () => {
        resolve();
        return hold(deps);
      })
      .catch(reject);
    const channel = deps.channel();
    channel?.postMessage(TAKE_OVER);
    channel?.close();
  });
}
