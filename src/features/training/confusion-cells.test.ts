import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import type { TrainedModel } from '../../store/training-store';
import { cellImageIds, confusionMax } from './confusion-cells';
import { EvaluationView } from './EvaluationView';

// The view's actions (move/remove a photo) are never called here.
vi.mock('../../engine/connection', () => ({ engine: () => Promise.reject(new Error('not used')) }));

/** A trained-model record with `k` classes and one validation photo per class, photo i predicted as class (i + 1) % k. */
function bigModel(k: number): TrainedModel {
  const classIds = Array.from({ length: k }, (_, i) => `c${i}`);
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < k; i++) (confusion[i] as number[])[(i + 1) % k] = 1;
  (confusion[0] as number[])[0] = 7;
  return {
    backboneId: 'mobilenet_v2_035',
    classIds,
    classNames: classIds.map((_, i) => `class ${i}`),
    head: {} as TrainedModel['head'],
    settings: {} as TrainedModel['settings'],
    history: [],
    bestEpoch: 1,
    evaluation: { accuracy: 0, confusion, perClass: classIds.map(() => ({ precision: 0, recall: 0, f1: 0, support: 1 })) },
    validationImageIds: classIds.map((id, i) => `${id}:hash${i}`),
    validationPredicted: classIds.map((_, i) => (i + 1) % k),
    mistakes: [],
    trainedAt: 0,
  };
}

describe('confusion matrix helpers', () => {
  it('finds the largest count of a 1000x1000 matrix (spreading it into Math.max overflows the stack)', () => {
    const model = bigModel(1000);
    const confusion = model.evaluation?.confusion ?? [];
    expect(() => Math.max(1, ...confusion.flat())).toThrow(RangeError);
    expect(confusionMax(confusion)).toBe(7);
    expect(confusionMax([])).toBe(1);
    expect(confusionMax([[0, 0], [0, 0]])).toBe(1);
  });

  it('lists the validation photos behind one cell', () => {
    const model = bigModel(1000);
    expect(cellImageIds(model, [5, 6])).toEqual(['c5:hash5']);
    expect(cellImageIds(model, [5, 5])).toEqual([]);
    // c1 must not match c10..c19's photos.
    expect(cellImageIds(model, [1, 2])).toEqual(['c1:hash1']);
    expect(cellImageIds(model, [1000, 0])).toEqual([]);
  });
});

describe('EvaluationView', () => {
  it('renders 1,000 classes as a per-class table and the most confused pairs, without a million cells', () => {
    const html = renderToStaticMarkup(createElement(EvaluationView, { model: bigModel(1000) }));
    expect(html).toContain('data-testid="class-metrics"');
    expect(html).toContain('data-testid="confused-pairs"');
    expect(html).not.toContain('data-testid="confusion-matrix"');
    expect(html.match(/<tr/g)?.length ?? 0).toBeLessThan(1100);
    expect(html.length).toBeLessThan(500_000);
  });

  it('keeps the full clickable matrix for small models', () => {
    const html = renderToStaticMarkup(createElement(EvaluationView, { model: bigModel(4) }));
    expect(html).toContain('data-testid="confusion-matrix"');
    expect(html.match(/data-testid="confusion-row"/g)).toHaveLength(4);
    expect(html).toContain('aria-label="7 class 0 photos predicted as class 0"');
  });
});
