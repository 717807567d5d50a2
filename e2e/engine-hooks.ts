import { expect, type Page } from '@playwright/test';

// The `?debug` engine hooks (src/engine/connection.ts: hold/release/isHeld/fault): pipelines are
// paused at a given item, never raced against the clock. docs/robustness.md lists them.

/** 'epoch': after each epoch of head training or fine-tuning, before the next starts. */
export type GatePoint = 'embed' | 'train' | 'epoch' | 'finetune' | 'import' | 'predict';
type EngineHooks = {
  __transferStudioEngine: {
    hold(point: GatePoint, atCall: number, andLater?: boolean): Promise<void>;
    release(point: GatePoint): Promise<void>;
    isHeld(point: GatePoint): Promise<boolean>;
    fault(kind: 'crash' | 'exit' | 'lose-context'): Promise<void>;
    restarts(): number;
  };
};

/** The `atCall`-th call at `point` from now on waits until `release` (with `andLater`, every later call too). */
export const hold = (page: Page, point: GatePoint, atCall: number, andLater = false) =>
  page.evaluate(([p, n, all]) => (window as unknown as EngineHooks).__transferStudioEngine.hold(p, n, all), [point, atCall, andLater] as const);
export const release = (page: Page, point: GatePoint) => page.evaluate((p) => (window as unknown as EngineHooks).__transferStudioEngine.release(p), point);
export const fault = (page: Page, kind: 'crash' | 'exit') => page.evaluate((k) => (window as unknown as EngineHooks).__transferStudioEngine.fault(k), kind);
/** True while a call waits at `point`. */
export const isHeld = (page: Page, point: GatePoint) => page.evaluate((p) => (window as unknown as EngineHooks).__transferStudioEngine.isHeld(p), point);
/** Waits until a call waits at `point`. */
export const waitHeld = (page: Page, point: GatePoint) =>
  expect.poll(() => isHeld(page, point), { timeout: 60_000 }).toBe(true);
