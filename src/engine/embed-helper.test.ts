import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BackendInfo } from '../ml/backend';
import { useEngineStore } from '../store/engine-store';
import { helperWanted } from './embed-helper';

const onBackend = (name: BackendInfo['name']) => useEngineStore.setState({ backend: { name, requested: 'auto' } as BackendInfo });

afterEach(() => {
  vi.unstubAllGlobals();
  useEngineStore.setState({ backend: null, embedThreads: 1 });
});

describe('helperWanted', () => {
  it('brings in the second engine for enough work on wasm with two cores, by the backbone\'s cost', () => {
    vi.stubGlobal('window', { location: { search: '' } });
    vi.stubGlobal('navigator', { hardwareConcurrency: 2 });
    onBackend('wasm');
    expect(helperWanted(100, 'mobilenet_v2_100_224')).toBe(true);
    expect(helperWanted(99, 'mobilenet_v2_100_224')).toBe(false);
    // 300 photos on the small backbones: the job lasts about as long as the second engine's start.
    expect(helperWanted(300, 'mobilenet_v2_035_224')).toBe(false);
    expect(helperWanted(600, 'mobilenet_v2_035_224')).toBe(true);
  });

  it('keeps to one engine on WebGL, on one core, and with ?embedWorkers=1', () => {
    vi.stubGlobal('window', { location: { search: '' } });
    vi.stubGlobal('navigator', { hardwareConcurrency: 2 });
    onBackend('webgl');
    expect(helperWanted(1000, 'mobilenet_v2_100_224')).toBe(false);
    onBackend('wasm');
    vi.stubGlobal('navigator', { hardwareConcurrency: 1 });
    expect(helperWanted(1000, 'mobilenet_v2_100_224')).toBe(false);
    vi.stubGlobal('navigator', { hardwareConcurrency: 8 });
    vi.stubGlobal('window', { location: { search: '?embedWorkers=1' } });
    expect(helperWanted(1000, 'mobilenet_v2_100_224')).toBe(false);
  });

  it('keeps to one engine when LiteRT.js already embeds on several threads', () => {
    vi.stubGlobal('window', { location: { search: '' } });
    vi.stubGlobal('navigator', { hardwareConcurrency: 2 });
    onBackend('wasm');
    useEngineStore.setState({ embedThreads: 2 });
    expect(helperWanted(1000, 'mobilenet_v2_100_224')).toBe(false);
    useEngineStore.setState({ embedThreads: 1 });
    expect(helperWanted(1000, 'mobilenet_v2_100_224')).toBe(true);
  });
});
