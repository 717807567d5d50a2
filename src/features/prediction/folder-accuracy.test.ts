import { describe, expect, it } from 'vitest';
import { expectedClass, folderAccuracy } from './folder-accuracy';

describe('accuracy on labelled folders', () => {
  const names = ['cat', 'dog'];

  it('takes the deepest folder named after a class', () => {
    expect(expectedClass('test/cat/a.jpg', names)).toBe('cat');
    expect(expectedClass('dog/cat/a.jpg', names)).toBe('cat');
    expect(expectedClass('photos/a.jpg', names)).toBeNull();
    expect(expectedClass('cat.jpg', names)).toBeNull();
  });

  it('counts only photos with a class folder', () => {
    const result = folderAccuracy(
      [
        { path: 't/cat/1.jpg', label: 'cat' },
        { path: 't/cat/2.jpg', label: 'dog' },
        { path: 't/dog/3.jpg', label: 'dog' },
        { path: 't/other/4.jpg', label: 'dog' },
        { path: 't/dog/5.jpg', label: null },
      ],
      names,
    );
    expect(result).toEqual({ labelled: 3, correct: 2, accuracy: 2 / 3 });
  });

  it('has no accuracy without labelled photos', () => {
    expect(folderAccuracy([{ path: 'a.jpg', label: 'cat' }], names).accuracy).toBeNull();
  });
});
