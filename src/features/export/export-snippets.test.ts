import { describe, expect, it } from 'vitest';
import { exportSnippet } from './export-snippets';

describe('exportSnippet', () => {
  it('scales pixels to the backbone\'s range: [-1, 1] as / 127.5 - 1, [0, 1] as * 1/255', () => {
    expect(exportSnippet('tfjs', [-1, 1])).toContain('.div(127.5).sub(1)');
    expect(exportSnippet('tfjs', [0, 1])).toContain(`.mul(${1 / 255}).add(0)`);
    expect(exportSnippet('tflite', [-1, 1])).toContain('np.asarray(img, np.float32) / 127.5 - 1');
    expect(exportSnippet('onnx', [0, 1])).toContain(`np.asarray(img, np.float32) * ${1 / 255})`);
  });

  it('feeds the full-integer model uint8 pixels as they are, and ONNX its image input by name', () => {
    const full = exportSnippet('tflite-full-int8', [-1, 1]);
    expect(full).toContain('np.asarray(img, np.uint8)[None]');
    expect(full).not.toContain('127.5');
    expect(exportSnippet('onnx', [-1, 1])).toContain("session.run(['probabilities'], {'image': x})");
  });
});
