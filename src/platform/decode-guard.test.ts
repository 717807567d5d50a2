import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toErrorInfo } from '../lib/errors';
import { checkBeforeDecode } from './file-sniff';
import { decodeBitmap } from './image-decode';

/** The 33 header bytes of a PNG declaring `width` x `height` (no pixel data: a decompression bomb's header). */
function pngHeader(width: number, height: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(33);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const view = new DataView(b.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  b.set([8, 6, 0, 0, 0], 24);
  return b;
}

const DIGITS = new URL('../../test-photos/sign-digits/1/', import.meta.url).pathname;
const photo = () => new Blob([readFileSync(join(DIGITS, readdirSync(DIGITS).sort()[0] as string))], { type: 'image/jpeg' });

/** createImageBitmap stand-in (Node has none): records calls, returns a small bitmap. */
function stubDecoder() {
  const decode = vi.fn(async () => ({ width: 10, height: 10, close: () => undefined }));
  vi.stubGlobal('createImageBitmap', decode);
  return decode;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('every decode checks the header first', () => {
  it('refuses a declared 60,000 x 60,000 PNG before createImageBitmap runs', async () => {
    const decode = stubDecoder();
    const bomb = new Blob([pngHeader(60_000, 60_000)], { type: 'image/png' });
    const error = await decodeBitmap(bomb).catch((e: unknown) => e);
    expect(toErrorInfo(error).code).toBe('too-large');
    expect(decode).not.toHaveBeenCalled();
  });

  it('refuses a file that is not an image with unsupported-file, without decoding it', async () => {
    const decode = stubDecoder();
    const error = await decodeBitmap(new Blob(['%PDF-1.7 not a photo'])).catch((e: unknown) => e);
    expect(toErrorInfo(error).code).toBe('unsupported-file');
    expect(decode).not.toHaveBeenCalled();
  });

  it('lets a real photo through to the decoder', async () => {
    const decode = stubDecoder();
    await expect(checkBeforeDecode(photo())).resolves.toBeUndefined();
    await decodeBitmap(photo());
    expect(decode).toHaveBeenCalledTimes(1);
  });
});
