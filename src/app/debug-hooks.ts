import type { PreparedImage, ProbeResult } from '../worker/ml-api';
import { engine } from '../engine/connection';
import { injectRenderFault, type BoundaryName } from './StepBoundary';

/** Hooks for tests and power users, installed only with `?debug` in the URL. */
export interface DebugHooks {
  tensorCount(): Promise<number>;
  simulateFault(kind: 'lose-context' | 'crash'): Promise<void>;
  /** Bench (bench/embed.ts): the engine's import step on one file (decode, hash, 224 copy). */
  prepareImage(file: Blob): Promise<PreparedImage>;
  /** Bench: the engine's embedding step on 224x224 training copies (decode + inference). */
  embedTrainingCopies(jpegs: Blob[]): Promise<Float32Array[]>;
  /** Bench: one image decoded and embedded, with the engine's own decode and embed times. */
  probe(file: Blob, topK: number): Promise<ProbeResult>;
  /** Makes one part of the page ('data', 'train', 'use', 'export', 'project-file', 'app') throw while rendering; `on` false stops it. */
  failRender(name: BoundaryName, on?: boolean): void;
}

/** Puts `window.__transferStudio` in place when the URL has `?debug`. */
export function installDebugHooks(): void {
  if (!new URLSearchParams(window.location.search).has('debug')) return;
  const hooks: DebugHooks = {
    tensorCount: async () => (await engine()).tensorCount(),
    simulateFault: async (kind) => (await engine()).simulateFault(kind),
    prepareImage: async (file) => (await engine()).prepareImage(file),
    embedTrainingCopies: async (jpegs) => (await engine()).embedTrainingCopies(jpegs),
    probe: async (file, topK) => (await engine()).probe(file, topK),
    failRender: (name, on) => injectRenderFault(name, on),
  };
  (window as unknown as { __transferStudio: DebugHooks }).__transferStudio = hooks;
}
