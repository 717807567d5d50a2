import { describe, expect, it } from 'vitest';
import { takeOverProject, tryOwnProject, type ChannelLike, type LockManagerLike, type TabLockDeps } from './tab-lock';

/** An exclusive lock with a FIFO queue and one message bus, shared by the fake "tabs" of one browser. */
class FakeBrowser {
  holder: string | null = null;
  private queue: { tab: string; grant: () => void }[] = [];
  private releases = new Map<string, () => void>();
  private listeners = new Map<string, (event: { data: unknown }) => void>();

  locksFor(tab: string): LockManagerLike {
    return {
      request: (_name, options, callback) => {
        const run = () => {
          this.holder = tab;
          const held = callback({ name: _name });
          // The lock is released when the callback's promise settles or the tab closes.
          return new Promise<unknown>((resolve) => {
            this.releases.set(tab, () => resolve(undefined));
            void held.then(() => this.release(tab));
          });
        };
        if (this.holder === null) return run();
        if (options.ifAvailable) return callback(null);
        return new Promise<unknown>((resolve) => this.queue.push({ tab, grant: () => void run().then(resolve) }));
      },
    };
  }

  channelFor(tab: string): ChannelLike {
    return {
      postMessage: (data) => {
        for (const [other, listener] of this.listeners) if (other !== tab) listener({ data });
      },
      addEventListener: (_type, listener) => this.listeners.set(tab, listener),
      close: () => undefined,
    };
  }

  /** The tab's page goes away (closed or reloaded): its lock is released. */
  release(tab: string): void {
    if (this.holder !== tab) return;
    this.releases.get(tab)?.();
    this.listeners.delete(tab);
    this.holder = null;
    this.queue.shift()?.grant();
  }

  deps(tab: string, onLetGo: () => void = () => this.release(tab)): TabLockDeps {
    return { locks: this.locksFor(tab), channel: () => this.channelFor(tab), letGo: onLetGo };
  }
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('one tab owns the project', () => {
  it('gives the project to the first tab and tells the second it is open elsewhere', async () => {
    const browser = new FakeBrowser();
    expect(await tryOwnProject(browser.deps('A'), 0)).toBe(true);
    expect(await tryOwnProject(browser.deps('B'), 0)).toBe(false);
    expect(browser.holder).toBe('A');
  });

  it('hands the project over when the second tab asks: the owner lets go, the asking tab owns it', async () => {
    const browser = new FakeBrowser();
    let aLetGo = 0;
    await tryOwnProject(
      browser.deps('A', () => {
        aLetGo += 1;
        browser.release('A');
      }),
      0,
    );
    expect(await tryOwnProject(browser.deps('B'), 0)).toBe(false);
    await takeOverProject(browser.deps('B'));
    expect(aLetGo).toBe(1);
    expect(browser.holder).toBe('B');
    // The old owner, reloaded, now waits.
    expect(await tryOwnProject(browser.deps('A2'), 0)).toBe(false);
  });

  it('lets a reloaded tab have the project back when its previous page lets go within the grace period', async () => {
    const browser = new FakeBrowser();
    await tryOwnProject(browser.deps('A'), 0);
    setTimeout(() => browser.release('A'), 250); // the old page unloads a moment late
    expect(await tryOwnProject(browser.deps('A-reloaded'), 1000)).toBe(true);
    expect(browser.holder).toBe('A-reloaded');
  });

  it('treats a browser without Web Locks as before: every tab owns the project', async () => {
    const deps: TabLockDeps = { locks: null, channel: () => null, letGo: () => undefined };
    expect(await tryOwnProject(deps, 0)).toBe(true);
    await tick();
    await expect(takeOverProject(deps)).resolves.toBeUndefined();
  });
});
