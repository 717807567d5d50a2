import { create } from 'zustand';
import type { BackendInfo } from '../ml/backend';
import { DEFAULT_BACKBONE_ID, type BackboneId } from '../ml/backbones/catalog';
import type { EmbedRuntime } from '../ml/backbones/types';
import type { EngineHost } from '../worker/ml-client';
import type { ErrorInfo } from '../lib/errors';

/** Plain state of the ML engine, for the UI. */
export interface EngineState {
  status: 'starting' | 'loading-backbone' | 'ready' | 'error';
  backend: BackendInfo | null;
  host: EngineHost | null;
  backboneId: BackboneId;
  /** Load time of the current backbone, milliseconds. */
  backboneLoadMs: number | null;
  /** What runs the current backbone's embeddings (LiteRT.js or tfjs), once it is loaded. */
  embedRuntime: EmbedRuntime | null;
  /** Threads those embeddings run on (LiteRT.js' threaded build in a cross-origin isolated page). */
  embedThreads: number;
  error: ErrorInfo | null;
  /** How often the engine was replaced after a fault, and why the last time. */
  restarts: number;
  lastRestartReason: string | null;
}

export const INITIAL_ENGINE_STATE: EngineState = {
  status: 'starting',
  backend: null,
  host: null,
  backboneId: DEFAULT_BACKBONE_ID,
  backboneLoadMs: null,
  embedRuntime: null,
  embedThreads: 1,
  error: null,
  restarts: 0,
  lastRestartReason: null,
};

/** The engine's status; written only by engine/connection.ts. */
export const useEngineStore = create<EngineState>(() => INITIAL_ENGINE_STATE);
