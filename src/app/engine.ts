import { toErrorInfo } from '../lib/errors';
import { backendFromSearch } from '../lib/url-params';
import type { BackboneId } from '../ml/backbones/catalog';
import { useEngineStore } from '../store/engine-store';
import { useTrainingStore } from '../store/training-store';
import type { MlConnection } from '../worker/ml-client';
import { connectMl } from '../worker/ml-client';

let connection: Promise<MlConnection> | null = null;
let generation = 0;
let restarting: Promise<MlConnection['api']> | null = null;

function originUrl(path: string): string {
  return new URL(`${import.meta.env.BASE_URL}${path}`, window.location.href).href;
}

/** Starts the engine once (backend from `?backend=`, 'auto' by default) and loads the backbone. */
export function startEngine(): Promise<MlConnection> {
  if (connection) return connection;
  const set = useEngineStore.setState;
  connection = connectMl({
    backend: backendFromSearch(window.location.search) ?? 'auto',
    modelBaseUrl: originUrl('models').replace(/\/$/, ''),
    wasmBaseUrl: originUrl('tfjs-wasm/'),
  });
  connection.then(
    (c) => {
      set({ backend: c.backend, host: c.host });
      void selectBackbone(useEngineStore.getState().backboneId);
    },
    (error: unknown) => set({ status: 'error', error: toErrorInfo(error) }),
  );
  return connection;
}

/** Switches the backbone, loading its weights on first use. */
export async function selectBackbone(id: BackboneId): Promise<void> {
  const set = useEngineStore.setState;
  set({ backboneId: id, status: 'loading-backbone', error: null, backboneLoadMs: null });
  try {
    const c = await startEngine();
    const { loadMs } = await c.api.useBackbone(id);
    if (useEngineStore.getState().backboneId === id) set({ status: 'ready', backboneLoadMs: loadMs });
  } catch (error) {
    set({ status: 'error', error: toErrorInfo(error) });
  }
}

/**
 * Replaces a dead or broken engine (crashed worker, lost WebGL context) with a fresh one on the
 * same backend choice, with the same backbone and trained head, and returns its API.
 */
export function restartEngine(reason: string, failedGeneration: number): Promise<MlConnection['api']> {
  // Several calls fail together when an engine dies: the first restarts it, the rest share that.
  if (restarting) return restarting;
  if (failedGeneration !== generation) return engine();
  restarting = (async () => {
    const old = connection;
    connection = null;
    void old?.then((c) => c.close(), () => undefined);
    const c = await startEngine();
    await c.api.useBackbone(useEngineStore.getState().backboneId);
    const model = useTrainingStore.getState().model;
    if (model && model.backboneId === useEngineStore.getState().backboneId) {
      await c.api.setHead(model.head);
      if (model.fineTune?.backbone) await c.api.setTunedBackbone(model.fineTune.backbone);
    }
    generation++;
    useEngineStore.setState((s) => ({ restarts: s.restarts + 1, lastRestartReason: reason }));
    return c.api;
  })().finally(() => {
    restarting = null;
  });
  return restarting;
}

/** Which engine instance is current; a failure on an older one needs no restart. */
export function engineGeneration(): number {
  return generation;
}

/** The connected engine API (waits for start-up). */
export async function engine(): Promise<MlConnection['api']> {
  return (await startEngine()).api;
}
