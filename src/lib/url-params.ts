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

/**
 * Threads LiteRT.js may embed on: every core up to 4 in a cross-origin isolated page (its threaded
 * build needs SharedArrayBuffer), else 1; `?embedThreads=N` sets it (1: the single-thread build and
 * two engines, as before; benchmarks compare them).
 */
export function embedThreadsFromSearch(search: string, isolated: boolean, cores: number): number {
  const asked = Number(new URLSearchParams(search).get('embedThreads'));
  if (!isolated) return 1;
  if (Number.isInteger(asked) && asked >= 1) return Math.min(asked, 16);
  return Math.max(1, Math.min(cores, MAX_EMBED_THREADS));
}

/** More threads than this gain little on one image at a time (and the photos' decodes need cores too). */
export const MAX_EMBED_THREADS = 4;

/** `?preEmbed=0`: no embedding in the background before Train (tests that count the engine's embedding calls). */
export function preEmbedFromSearch(search: string): boolean {
  return new URLSearchParams(search).get('preEmbed') !== '0';
}
