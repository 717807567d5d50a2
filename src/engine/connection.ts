import { toErrorInfo } from '../lib/errors';
import { backendFromSearch, embedRuntimeFromSearch, embedThreadsFromSearch } from '../lib/url-params';
import { isBackboneId, type BackboneId } from '../ml/backbones/catalog';
import { useEngineStore } from '../store/engine-store';
import { useTrainingStore } from '../store/training-store';
import type { GatePoint } from '../worker/debug-gates';
import type { BackendChoice } from '../ml/backend';
import type { EngineConfig, FaultKind } from '../worker/ml-api';
import type { MlConnection, WatchOptions } from '../worker/ml-client';
import { connectMl } from '../worker/ml-client';

let connection: Promise<MlConnection> | null = null;
/** Counts connections: a failure on an older one needs no restart. */
let generation = 0;
let restarting: Promise<MlConnection['api']> | null = null;

/** Where the backbone choice is kept across reloads. */
const BACKBONE_KEY = 'transfer-studio:backbone';

function originUrl(path: string): string {
  return new URL(`${import.meta.env.BASE_URL}${path}`, window.location.href).href;
}

function savedBackbone(): BackboneId | null {
  try {
    const id = globalThis.localStorage?.getItem(BACKBONE_KEY);
    return id && isBackboneId(id) ? id : null;
  } catch {
    return null;
  }
}

function saveBackbone(id: BackboneId): void {
  try {
    globalThis.localStorage?.setItem(BACKBONE_KEY, id);
  } catch {
    // Storage off (private mode): the choice lasts for this page only.
  }
}

/** With `?debug&livenessMs=N`, tests shorten how long a silent worker is waited for. */
function livenessFromSearch(search: string): number | undefined {
  const params = new URLSearchParams(search);
  const ms = Number(params.get('livenessMs'));
  return params.has('debug') && Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/** Where an engine finds its weights and wasm files, for a backend choice (the page's `?backend=` by default). */
export function engineConfig(backend: BackendChoice = backendFromSearch(window.location.search) ?? 'auto'): EngineConfig {
  const search = window.location.search;
  return { backend, modelBaseUrl: originUrl('models').replace(/\/$/, ''), wasmBaseUrl: originUrl('tfjs-wasm/'), liteRtBaseUrl: originUrl('litert/'), embedRuntime: embedRuntimeFromSearch(search), embedThreads: embedThreadsFromSearch(search, globalThis.crossOriginIsolated === true, navigator.hardwareConcurrency ?? 1) };
}

/** How long a silent worker is waited for (`?debug&livenessMs=`), or the default. */
export function engineWatchOptions(): WatchOptions {
  return { livenessMs: livenessFromSearch(window.location.search) };
}

/** Connects a new engine; when its worker dies, it is replaced at once (not on the next call). */
function connect(): Promise<MlConnection> {
  const mine = ++generation;
  const started = connectMl(engineConfig(), engineWatchOptions());
  started.then(
    (c) => {
      useEngineStore.setState({ backend: c.backend, host: c.host });
      c.onDeath((error) => void restartEngine(`the worker stopped (${error.message})`, mine).catch(() => undefined));
    },
    (error: unknown) => useEngineStore.setState({ status: 'error', error: toErrorInfo(error) }),
  );
  return started;
}

/** Starts the engine once (backend from `?backend=`, 'auto' by default) and loads the backbone last chosen. */
export function startEngine(): Promise<MlConnection> {
  if (connection) return connection;
  const saved = savedBackbone();
  if (saved) useEngineStore.setState({ backboneId: saved });
  connection = connect();
  installEngineDebugHooks();
  connection.then(() => void selectBackbone(useEngineStore.getState().backboneId), () => undefined);
  return connection;
}

/** Switches the backbone, loading its weights on first use; the choice is kept across reloads. */
export async function selectBackbone(id: BackboneId): Promise<void> {
  const set = useEngineStore.setState;
  set({ backboneId: id, status: 'loading-backbone', error: null, backboneLoadMs: null, embedRuntime: null });
  saveBackbone(id);
  try {
    const c = await startEngine();
    const { loadMs, embedRuntime, embedThreads } = await c.api.useBackbone(id);
    if (useEngineStore.getState().backboneId === id) set({ status: 'ready', backboneLoadMs: loadMs, embedRuntime, embedThreads });
  } catch (error) {
    set({ status: 'error', error: toErrorInfo(error) });
  }
}

/**
 * Replaces a dead or broken engine (crashed worker, lost WebGL context) with a fresh one on the
 * same backend choice, with the same backbone and trained head, and returns its API. The old
 * worker is terminated (the client does that when it sees the death; `close` again is harmless).
 */
export function restartEngine(reason: string, failedGeneration: number): Promise<MlConnection['api']> {
  // Several calls fail together when an engine dies: the first restarts it, the rest share that.
  if (restarting) return restarting;
  if (failedGeneration !== generation) return engine();
  const set = useEngineStore.setState;
  set({ status: 'loading-backbone' });
  restarting = (async () => {
    const old = connection;
    void old?.then((c) => c.close(), () => undefined);
    connection = connect();
    const c = await connection;
    const backboneId = useEngineStore.getState().backboneId;
    const { loadMs, embedRuntime, embedThreads } = await c.api.useBackbone(backboneId);
    const model = useTrainingStore.getState().model;
    if (model && model.backboneId === backboneId) {
      await c.api.setHead(model.head);
      if (model.fineTune?.backbone) await c.api.setTunedBackbone(model.fineTune.backbone);
    }
    set((s) => ({ status: 'ready', backboneLoadMs: loadMs, embedRuntime, embedThreads, restarts: s.restarts + 1, lastRestartReason: reason }));
    return c.api;
  })();
  restarting.then(
    () => undefined,
    (error: unknown) => set({ status: 'error', error: toErrorInfo(error) }),
  );
  const done = restarting;
  void done.finally(() => {
    if (restarting === done) restarting = null;
  }).catch(() => undefined);
  return done;
}

/**
 * Replaces the engine whose call failed, `failed` (an API `engine()` gave), unless it was replaced
 * already; returns the API to try again on.
 */
export async function replaceEngine(failed: MlConnection['api'], reason: string): Promise<MlConnection['api']> {
  if (restarting) return restarting;
  const current = connection ? await connection.catch(() => null) : null;
  if (restarting) return restarting;
  if (current && current.api !== failed) return current.api;
  return restartEngine(reason, generation);
}

/** Which engine instance is current; a failure on an older one needs no restart. */
export function engineGeneration(): number {
  return generation;
}

/** The connected engine API (waits for start-up, and for a restart in progress). */
export async function engine(): Promise<MlConnection['api']> {
  if (restarting) return restarting;
  return (await startEngine()).api;
}

/** Engine test hooks (`?debug`): hold a call at a given item, release it, inject a fault. */
export interface EngineDebugHooks {
  hold(point: GatePoint, atCall: number, andLater?: boolean): Promise<void>;
  release(point: GatePoint): Promise<void>;
  isHeld(point: GatePoint): Promise<boolean>;
  fault(kind: FaultKind): Promise<void>;
  restarts(): number;
}

function installEngineDebugHooks(): void {
  if (!new URLSearchParams(window.location.search).has('debug')) return;
  const current = async () => (await startEngine()).api;
  const hooks: EngineDebugHooks = {
    hold: async (point, atCall, andLater) => (await current()).debugHold(point, atCall, andLater),
    release: async (point) => (await current()).debugRelease(point),
    isHeld: async (point) => (await current()).debugIsHeld(point),
    fault: async (kind) => (await current()).simulateFault(kind),
    restarts: () => useEngineStore.getState().restarts,
  };
  (window as unknown as { __transferStudioEngine: EngineDebugHooks }).__transferStudioEngine = hooks;
}
