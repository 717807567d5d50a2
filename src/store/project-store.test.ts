import { describe, expect, it } from 'vitest';
import { imageById, imagesByClass, imagesOfClass, type ImageInfo } from './project-store';

const image = (classId: string, n: number): ImageInfo => ({ id: `${classId}:${n}`, hash: String(n), classId, path: `${classId}/${n}.jpg`, name: `${n}.jpg` });

describe('imagesByClass', () => {
  it('groups images by class in their order, once per images array', () => {
    const images = [image('a', 1), image('b', 2), image('a', 3)];
    const map = imagesByClass(images);
    expect(map.get('a')?.map((im) => im.id)).toEqual(['a:1', 'a:3']);
    expect(imagesOfClass(images, 'b')).toEqual([images[1]]);
    expect(imagesOfClass(images, 'none')).toEqual([]);
    expect(imagesByClass(images)).toBe(map);
    // A new array (the store's next state) is grouped again.
    const more = [...images, image('b', 4)];
    expect(imagesOfClass(more, 'b').map((im) => im.id)).toEqual(['b:2', 'b:4']);
    expect(imagesOfClass(images, 'b')).toHaveLength(1);
  });
});

describe('imageById', () => {
  it('finds an image by id in the array it is given, and nothing once it is gone', () => {
    const images = [image('a', 1), image('b', 2)];
    expect(imageById(images, 'b:2')).toBe(images[1]);
    expect(imageById(images, 'c:9')).toBeUndefined();
    const fewer = images.slice(0, 1);
    expect(imageById(fewer, 'b:2')).toBeUndefined();
    expect(imageById(images, 'b:2')).toBe(images[1]);
  });
});
