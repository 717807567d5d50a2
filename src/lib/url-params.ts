import type { BackendName } from '../ml/backend';

const BACKENDS: readonly BackendName[] = ['webgl', 'wasm', 'cpu'];

/** The backend forced by `?backend=webgl|wasm|cpu`, or null when absent or unknown. */
export function backendFromSearch(search: string): BackendName | null {
  const value = new URLSearchParams(search).get('backend');
  return BACKENDS.find((b) => b === value) ?? null;
}
