import { describe, expect, it } from 'vitest';
import { AUTO_LARGE_BATCH_FROM, DEFAULT_TRAIN_SETTINGS, checkTrainSettings, effectiveBatch } from './settings';

describe('effectiveBatch', () => {
  it('is automatic by default: 32 at the set learning rate, 128 at twice it from 1,000 training photos', () => {
    expect(DEFAULT_TRAIN_SETTINGS.batchSize).toBe(0);
    expect(() => checkTrainSettings(DEFAULT_TRAIN_SETTINGS)).not.toThrow();
    expect(effectiveBatch(DEFAULT_TRAIN_SETTINGS, AUTO_LARGE_BATCH_FROM - 1)).toEqual({ batchSize: 32, learningRate: 0.0005 });
    expect(effectiveBatch(DEFAULT_TRAIN_SETTINGS, AUTO_LARGE_BATCH_FROM)).toEqual({ batchSize: 128, learningRate: 0.001 });
  });

  it('keeps a batch size and learning rate a person set, whatever the set size', () => {
    expect(effectiveBatch({ batchSize: 16, learningRate: 0.003 }, 20_000)).toEqual({ batchSize: 16, learningRate: 0.003 });
    expect(effectiveBatch({ batchSize: 256, learningRate: 0.0001 }, 10)).toEqual({ batchSize: 256, learningRate: 0.0001 });
  });
});
