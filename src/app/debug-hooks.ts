import { engine } from './engine';

/** Hooks for tests and power users, installed only with `?debug` in the URL. */
export interface DebugHooks {
  tensorCount(): Promise<number>;
  simulateFault(kind: 'lose-context' | 'crash'): Promise<void>;
}

/** Puts `window.__transferStudio` in place when the URL has `?debug`. */
export function installDebugHooks(): void {
  if (!new URLSearchParams(window.location.search).has('debug')) return;
  const hooks: DebugHooks = {
    tensorCount: async () => (await engine()).tensorCount(),
    simulateFault: async (kind) => (await engine()).simulateFault(kind),
  };
  (window as unknown as { __transferStudio: DebugHooks }).__transferStudio = hooks;
}
