import { describe, expect, it } from 'vitest';
import { csvField, predictionsCsv } from './csv';

describe('predictions CSV', () => {
  it('has the documented header and one row per photo', () => {
    const csv = predictionsCsv([
      { file: 'a/b.jpg', label: 'cat', confidence: 0.5 },
      { file: 'c.jpg', label: 'dog', confidence: 1 },
    ]);
    expect(csv).toBe('file,label,confidence\na/b.jpg,cat,0.500000\nc.jpg,dog,1.000000\n');
  });

  it('quotes commas, quotes and newlines', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('x\ny')).toBe('"x\ny"');
  });
});
