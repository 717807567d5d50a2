import { describe, expect, it } from 'vitest';
import { labelsTxt } from './labels-txt';

/** Lines as Python's `open('labels.txt').read().splitlines()` reads them (also splits on \v \f \x1c-\x1e \x85 \u2028 \u2029). */
// eslint-disable-next-line no-control-regex -- Python's line boundaries include these control characters.
const PYTHON_LINE_BREAKS = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;
const pythonLines = (text: string) => text.split(PYTHON_LINE_BREAKS).slice(0, -1);

describe('labelsTxt', () => {
  it('writes one line per class, in order, newline-terminated', () => {
    expect(labelsTxt(['cat', 'dog'])).toBe('cat\ndog\n');
  });

  it('keeps exactly one line per output when names hold line breaks, tabs or blanks', () => {
    const names = ['cat\n', 'red\r\napple', 'a\tb', 'x\u2028y', 'z\u0085w', ' \n ', 'form\ffeed', 'ok'];
    const text = labelsTxt(names);
    expect(pythonLines(text)).toEqual(['cat', 'red apple', 'a b', 'x y', 'z w', 'class 6', 'form feed', 'ok']);
    expect(text.split('\n')).toHaveLength(names.length + 1);
  });
});
