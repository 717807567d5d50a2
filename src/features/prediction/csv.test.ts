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

  it('neutralises fields that a spreadsheet would run as a formula', () => {
    expect(csvField('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvField('+1+1')).toBe(`"'+1+1"`);
    expect(csvField('-2')).toBe(`"'-2"`);
    expect(csvField('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(csvField('\t=1')).toBe(`"'\t=1"`);
    expect(csvField('\r=1')).toBe(`"'\r=1"`);
    // Only the first character counts.
    expect(csvField('a=b')).toBe('a=b');
    expect(csvField('photos/=x.jpg')).toBe('photos/=x.jpg');
  });

  it('writes file and class names that start like formulas as quoted text in the CSV', () => {
    const csv = predictionsCsv([
      { file: '=cmd|"/c calc"!A0.jpg', label: '@label', confidence: 0.25 },
      { file: 'ok.jpg', label: '-minus', confidence: null },
    ]);
    expect(csv).toBe(`file,label,confidence\n"'=cmd|""/c calc""!A0.jpg","'@label",0.250000\nok.jpg,"'-minus",\n`);
    expect(csv.split('\n').slice(1, -1).every((line) => !/^[=+\-@]|,[=+\-@]/.test(line))).toBe(true);
  });
});
