import type { BackendChoice } from '../ml/backend';

const BACKENDS: readonly BackendChoice[] = ['auto', 'webgl', 'wasm', 'cpu'];

/** The backend forced by `?backend=auto|webgl|wasm|cpu`, or null when absent or unknown. */
export function backendFromSearch(search: string): BackendChoice | null {
  const value = new URLSearchParams(search).get('backend');
  return BACKENDS.find((b) => b === value) ?? null;
}

/** `?embedWorkers=1`: embed on the main engine only (benchmarks compare one engine with two). */
export function singleEmbedWorkerFromSearch(search: string): boolean {
  return new URLSearchParams(search).get('embedWorkers') === '1';
}

/** `?embedRuntime=tfjs`: the frozen backbone runs in tfjs even on the wasm backend (benchmarks, comparisons). */
export function embedRuntimeFromSearch(search: string): 'auto' | 'tfjs' {
  return new URLSearchParams(search).get('embedRuntime') === 'tfjs' ? 'tfjs' : 'auto';
}

/** `?preEmbed=0`: no embedding in the background before Train (tests that count the engine's embedding calls). */
export function preEmbedFromSearch(search: string): boolean {
  return new URLSearchParams(search).get('preEmbed') !== '0';
}
