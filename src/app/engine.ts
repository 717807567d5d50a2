import { toErrorInfo } from '../lib/errors';
import { backendFromSearch } from '../lib/url-params';
import type { BackboneId } from '../ml/backbones/catalog';
import { useEngineStore } from '../store/engine-store';
import type { MlConnection } from '../worker/ml-client';
import { connectMl } from '../worker/ml-client';

let connection: Promise<MlConnection> | null = null;

function originUrl(path: string): string {
  return new URL(`${import.meta.env.BASE_URL}${path}`, window.location.origin).href;
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

/** The connected engine API (waits for start-up). */
export async function engine(): Promise<MlConnection['api']> {
  return (await startEngine()).api;
}
