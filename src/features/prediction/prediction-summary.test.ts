import { describe, expect, it } from 'vitest';
import { summarisePredictions, type SummaryRow } from './prediction-summary';

const done = (path: string, classIndex: number, probability: number): SummaryRow => ({ path, status: 'done', top: { classIndex, probability } });

describe('summarisePredictions', () => {
  it('counts per predicted class, not sure, pending and errors, and the confusion against class-named folders', () => {
    const names = ['cat', 'dog'];
    const s = summarisePredictions(
      [
        done('test/cat/1.jpg', 0, 0.9),
        done('test/cat/2.jpg', 1, 0.55), // wrong and not sure
        done('test/dog/3.jpg', 1, 0.8),
        done('misc/4.jpg', 0, 0.7), // no class folder: counted, not in the confusion
        { path: 'test/dog/5.jpg', status: 'pending', top: null },
        { path: 'test/dog/6.pdf', status: 'error', top: null },
      ],
      names,
      0.6,
    );
    expect(s).toMatchObject({ total: 6, pending: 1, errors: 1, notSure: 1, perClass: [2, 2] });
    expect(s.folder).toEqual({ labelled: 3, correct: 2, confusion: [[1, 1], [0, 1]] });
  });

  it('has no folder verdict when no folder is named after a class', () => {
    expect(summarisePredictions([done('a/b.jpg', 0, 1)], ['x'], 0.5).folder).toBeNull();
  });
});
