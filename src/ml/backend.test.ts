import { describe, expect, it } from 'vitest';
import { backendFromSearch } from '../lib/url-params';
import { SOFTWARE_RENDERER, backendChain } from './backend';

describe('backend choice', () => {
  it('tries the requested backend first, then the others in speed order', () => {
    expect(backendChain('webgl')).toEqual(['webgl', 'wasm', 'cpu']);
    expect(backendChain('wasm')).toEqual(['wasm', 'webgl', 'cpu']);
    expect(backendChain('cpu')).toEqual(['cpu', 'webgl', 'wasm']);
    expect(backendChain('auto')).toEqual(['webgl', 'wasm', 'cpu']);
  });

  it('recognises software WebGL renderers', () => {
    expect(SOFTWARE_RENDERER.test('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)')).toBe(true);
    expect(SOFTWARE_RENDERER.test('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(SOFTWARE_RENDERER.test('ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0)')).toBe(false);
    expect(SOFTWARE_RENDERER.test('Apple M2')).toBe(false);
  });

  it('reads ?backend= and ignores unknown values', () => {
    expect(backendFromSearch('?backend=wasm')).toBe('wasm');
    expect(backendFromSearch('?x=1&backend=cpu')).toBe('cpu');
    expect(backendFromSearch('?backend=auto')).toBe('auto');
    expect(backendFromSearch('?backend=cuda')).toBeNull();
    expect(backendFromSearch('')).toBeNull();
  });
});
