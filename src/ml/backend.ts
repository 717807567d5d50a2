import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { AppError } from '../lib/errors';

/** A tfjs backend the app can run on. */
export type BackendName = 'webgl' | 'wasm' | 'cpu';

/** What a person (or `?backend=`) can ask for: a backend, or 'auto' (the fastest we can tell). */
export type BackendChoice = BackendName | 'auto';

/** Renderer strings of software WebGL, where wasm is several times faster (shared/docs/browser-testing.md). */
export const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render|mesa offscreen/i;

/** What `initBackend` ended up with, for the UI to show. */
export interface BackendInfo {
  name: BackendName;
  /** The backend asked for (first in the chain), or 'auto'. */
  requested: BackendChoice;
  /** With 'auto': why this backend was picked. */
  autoReason?: string;
  /** Why the requested backend is not the one in use; absent when it is. */
  fallbackReason?: string;
  /** The GPU renderer string on WebGL ("ANGLE (... SwiftShader ...)" on a software renderer). */
  renderer?: string;
}

/** Order to try backends in, starting with the requested one. */
export function backendChain(requested: BackendChoice): BackendName[] {
  const order: BackendName[] = ['webgl', 'wasm', 'cpu'];
  if (requested === 'auto') return order;
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
export async function initBackend(requested: BackendChoice, wasmBaseUrl: string): Promise<BackendInfo> {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  // WebGL shaders that read shapes from uniforms: a new batch size reuses the compiled programs
  // instead of compiling its own (seconds per shape on a software renderer).
  tf.env().set('WEBGL_USE_SHAPES_UNIFORMS', true);
  setWasmPaths(wasmBaseUrl);
  if (requested === 'auto') return initAuto(wasmBaseUrl);
  return initChain(requested, backendChain(requested));
}

/**
 * 'auto': WebGL on a real GPU; wasm where WebGL is a software renderer (SwiftShader, llvmpipe),
 * since wasm runs MobileNet about 8x faster there; then whatever works.
 */
async function initAuto(wasmBaseUrl: string): Promise<BackendInfo> {
  const webgl = await initChain('webgl', ['webgl']).catch(() => null);
  if (webgl && !(webgl.renderer && SOFTWARE_RENDERER.test(webgl.renderer))) {
    return { ...webgl, requested: 'auto', autoReason: `WebGL runs on a GPU here (${webgl.renderer ?? 'unknown renderer'})` };
  }
  const software = webgl?.renderer?.match(SOFTWARE_RENDERER)?.[0];
  const why = webgl ? `WebGL is a software renderer here (${software ?? 'software'}), where WebAssembly is several times faster` : 'WebGL is not available here';
  const info = await initBackend('wasm', wasmBaseUrl);
  return { ...info, requested: 'auto', autoReason: why, fallbackReason: undefined, ...(webgl?.renderer ? { renderer: webgl.renderer } : {}) };
}

async function initChain(requested: BackendName, chain: BackendName[]): Promise<BackendInfo> {
  const failures: string[] = [];
  for (const name of chain) {
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
