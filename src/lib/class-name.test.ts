import { describe, expect, it } from 'vitest';
import { normalizeClassName } from './class-name';

describe('normalizeClassName', () => {
  it('turns line breaks, tabs and other control characters into single spaces and trims', () => {
    expect(normalizeClassName('cat\n')).toBe('cat');
    expect(normalizeClassName('red\r\napple')).toBe('red apple');
    expect(normalizeClassName('a\tb\u0000c\u0085d\u2028e\u2029f')).toBe('a b c d e f');
    expect(normalizeClassName('  golden \t  retriever  ')).toBe('golden retriever');
    expect(normalizeClassName('a\u00a0\u00a0b')).toBe('a b');
  });

  it('keeps user text otherwise, and composes decomposed accents (macOS folder names)', () => {
    expect(normalizeClassName('<img src=x> Éclairs & co')).toBe('<img src=x> Éclairs & co');
    expect(normalizeClassName('Cafe\u0301')).toBe('Caf\u00e9');
    expect(normalizeClassName('猫')).toBe('猫');
  });

  it('returns an empty string for names that are only whitespace or control characters', () => {
    expect(normalizeClassName(' \n\t ')).toBe('');
  });
});
