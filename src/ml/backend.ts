import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { AppError } from '../lib/errors';

/** A tfjs backend the app can run on. */
export type BackendName = 'webgl' | 'wasm' | 'cpu';

/** What `initBackend` ended up with, for the UI to show. */
export interface BackendInfo {
  name: BackendName;
  /** The backend asked for (first in the chain). */
  requested: BackendName;
  /** Why the requested backend is not the one in use; absent when it is. */
  fallbackReason?: string;
  /** The GPU renderer string on WebGL ("ANGLE (... SwiftShader ...)" on a software renderer). */
  renderer?: string;
}

/** Order to try backends in, starting with the requested one. */
export function backendChain(requested: BackendName): BackendName[] {
  const order: BackendName[] = ['webgl', 'wasm', 'cpu'];
  return [requested, ...order.filter((b) => b !== requested)];
}

function readRenderer(): string | undefined {
  try {
    const backend = tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } };
    const gl = backend.gpgpu?.gl;
    if (!gl) return undefined;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  } catch {
    return undefined;
  }
}

/**
 * Starts the first backend of `backendChain(requested)` that works. `wasmBaseUrl` is where the
 * tfjs .wasm files are served (our own origin). The wasm backend runs single-threaded: the
 * threaded build needs cross-origin isolation and hangs in minified bundles (tfjs #4107).
 */
export async function initBackend(requested: BackendName, wasmBaseUrl: string): Promise<BackendInfo> {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setWasmPaths(wasmBaseUrl);
  const failures: string[] = [];
  for (const name of backendChain(requested)) {
    try {
      const ok = await tf.setBackend(name);
      await tf.ready();
      if (ok && tf.getBackend() === name) {
        const info: BackendInfo = { name, requested };
        if (name !== requested) info.fallbackReason = failures.join('; ');
        if (name === 'webgl') info.renderer = readRenderer();
        return info;
      }
      failures.push(`${name} is not available in this browser`);
    } catch (error) {
      failures.push(`${name} failed: ${(error as Error).message}`);
    }
  }
  throw new AppError('backend-unavailable', failures.join('; '));
}
