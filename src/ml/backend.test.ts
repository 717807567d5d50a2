import { describe, expect, it } from 'vitest';
import { backendFromSearch } from '../lib/url-params';
import { backendChain } from './backend';

describe('backend choice', () => {
  it('tries the requested backend first, then the others in speed order', () => {
    expect(backendChain('webgl')).toEqual(['webgl', 'wasm', 'cpu']);
    expect(backendChain('wasm')).toEqual(['wasm', 'webgl', 'cpu']);
    expect(backendChain('cpu')).toEqual(['cpu', 'webgl', 'wasm']);
  });

  it('reads ?backend= and ignores unknown values', () => {
    expect(backendFromSearch('?backend=wasm')).toBe('wasm');
    expect(backendFromSearch('?x=1&backend=cpu')).toBe('cpu');
    expect(backendFromSearch('?backend=cuda')).toBeNull();
    expect(backendFromSearch('')).toBeNull();
  });
});
