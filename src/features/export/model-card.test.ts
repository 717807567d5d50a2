import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_SETTINGS } from '../../ml/head/settings';
import type { TrainedModel } from '../../store/training-store';
import { modelCard, photoCountsOf } from './model-card';

function trained(classNames: string[], confusion: number[][] | null): TrainedModel {
  const support = confusion?.map((row) => row.reduce((a, b) => a + b, 0)) ?? [];
  return {
    backboneId: 'mobilenet_v2_100_224',
    classIds: classNames.map((_, i) => `c${i}`),
    classNames,
    head: {} as TrainedModel['head'],
    settings: { ...DEFAULT_TRAIN_SETTINGS, seed: 1234 },
    history: [],
    bestEpoch: 7,
    evaluation: confusion && {
      accuracy: confusion.reduce((a, row, i) => a + (row[i] ?? 0), 0) / support.reduce((a, b) => a + b, 0),
      confusion,
      perClass: support.map((n, i) => ({ precision: 0.5, recall: (confusion[i]?.[i] ?? 0) / n, f1: 0.5, support: n })),
    },
    validationImageIds: [],
    validationPredicted: [],
    mistakes: [],
    trainedAt: Date.UTC(2026, 11, 1, 10, 30),
  };
}

describe('MODEL_CARD.md', () => {
  it('lists classes with photo counts, backbone, preprocessing, settings, validation figures and the confusion matrix', () => {
    const model = trained(['cat', 'dog|wolf', 'bird\nparrot'], [
      [8, 2, 0],
      [1, 9, 0],
      [0, 0, 10],
    ]);
    const card = modelCard({ model, photoCounts: photoCountsOf([...Array(40).fill({ classId: 'c0' }), ...Array(50).fill({ classId: 'c1' }), { classId: 'c2' }]), format: 'ONNX', date: new Date(Date.UTC(2026, 11, 2)) });
    expect(card).toContain('# Model card: image classifier (3 classes)');
    expect(card).toContain('on 2026-12-02; trained 2026-12-01 10:30 UTC. This download: ONNX.');
    expect(card).toContain('| 0 | cat | 40 |');
    // A pipe or a line break in a class name stays inside its table cell.
    expect(card).toContain('| 1 | dog\\|wolf | 50 |');
    expect(card).toContain('| 2 | bird parrot | 1 |');
    expect(card).toContain('MobileNetV2 1.0 (`mobilenet_v2_100_224`)');
    expect(card).toContain('pixel / 127.5 - 1');
    expect(card).toContain('seed 1234');
    expect(card).toContain('best epoch 7 kept');
    expect(card).toContain('Accuracy 90.0% on 30 held-out photos.');
    expect(card).toContain('| cat | 8 | 2 | 0 |');
    expect(card).toContain('## Known limits');
  });

  it('writes the largest confusions instead of a full matrix for many classes, and says when nothing was validated', () => {
    const n = 30;
    const confusion = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 5 : i === 0 && j === 1 ? 4 : 0)));
    const names = Array.from({ length: n }, (_, i) => `class ${i}`);
    const card = modelCard({ model: trained(names, confusion), photoCounts: new Map(), format: 'x' });
    expect(card).toContain('30 classes: the 1 most frequent confusions.');
    expect(card).toContain('| class 0 | class 1 | 4 |');
    expect(card).not.toContain('| true \\ predicted |');
    expect(modelCard({ model: trained(['a', 'b'], null), photoCounts: new Map(), format: 'x' })).toContain('Treat the model as untested.');
  });
});
