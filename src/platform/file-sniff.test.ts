import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import {
  MAX_FILE_BYTES,
  SKIP_REASON_TEXT,
  SNIFF_BYTES,
  inspectImageFile,
  isSystemFileName,
  readDimensions,
  sniffImageKind,
} from './file-sniff';

const SHOES_DIR = join(import.meta.dirname, '..', '..', 'test-photos', 'clothing-test', 'shoes');

function bytes(...parts: (string | number[] | Uint8Array)[]): Uint8Array {
  const arrays = parts.map((p) => (typeof p === 'string' ? Uint8Array.from(p, (c) => c.charCodeAt(0)) : Uint8Array.from(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let o = 0;
  for (const a of arrays) {
    out.set(a, o);
    o += a.length;
  }
  return out;
}
const be32 = (n: number): number[] => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const le16 = (n: number): number[] => [n & 255, (n >>> 8) & 255];
const le24 = (n: number): number[] => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255];
const le32 = (n: number): number[] => [...le16(n & 0xffff), ...le16((n >>> 16) & 0xffff)];

const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** A PNG signature, IHDR chunk (CRC not checked by the sniffer) and IEND. */
function png(width: number, height: number): Uint8Array {
  return bytes(PNG_SIG, be32(13), 'IHDR', be32(width), be32(height), [8, 2, 0, 0, 0], be32(0), be32(0), 'IEND', be32(0xae426082));
}
function gif(width: number, height: number): Uint8Array {
  return bytes('GIF89a', le16(width), le16(height), [0xf7, 0, 0], new Uint8Array(20), [0x3b]);
}
function bmp(width: number, height: number): Uint8Array {
  return bytes('BM', le32(70), [0, 0, 0, 0], le32(54), le32(40), le32(width), le32(height), le16(1), le16(24), new Uint8Array(24));
}
function riff(chunk: string, payload: Uint8Array): Uint8Array {
  return bytes('RIFF', le32(4 + 8 + payload.length), 'WEBP', chunk, le32(payload.length), payload);
}
function webpLossy(width: number, height: number): Uint8Array {
  return riff('VP8 ', bytes([0x30, 0x01, 0x00], [0x9d, 0x01, 0x2a], le16(width), le16(height), new Uint8Array(10)));
}
function webpLossless(width: number, height: number): Uint8Array {
  const bits = (width - 1) | ((height - 1) << 14);
  return riff('VP8L', bytes([0x2f], le32(bits >>> 0), new Uint8Array(8)));
}
function webpExtended(width: number, height: number): Uint8Array {
  return riff('VP8X', bytes([0x10, 0, 0, 0], le24(width - 1), le24(height - 1)));
}
function box(type: string, ...content: Uint8Array[]): Uint8Array {
  const body = bytes(...content);
  return bytes(be32(8 + body.length), type, body);
}
function ftyp(major: string, ...compatible: string[]): Uint8Array {
  return box('ftyp', bytes(major, be32(0), ...compatible));
}
/** An AVIF skeleton: ftyp, then meta (full box) > iprp > ipco > one ispe per size. */
function avif(...sizes: [number, number][]): Uint8Array {
  const ispes = sizes.map(([w, h]) => box('ispe', bytes(be32(0), be32(w), be32(h))));
  const hdlr = box('hdlr', bytes(be32(0), be32(0), 'pict', new Uint8Array(13)));
  return bytes(ftyp('avif', 'mif1', 'miaf'), box('meta', bytes(be32(0)), hdlr, box('iprp', box('ipco', ...ispes))), box('mdat', new Uint8Array(4)));
}
function blob(data: Uint8Array): Blob {
  return new Blob([data.slice().buffer]);
}

describe('sniffImageKind', () => {
  it('recognises each importable format from its magic bytes', () => {
    expect(sniffImageKind(png(1, 1))).toBe('png');
    expect(sniffImageKind(gif(1, 1))).toBe('gif');
    expect(sniffImageKind(bmp(1, 1))).toBe('bmp');
    expect(sniffImageKind(webpLossy(1, 1))).toBe('webp');
    expect(sniffImageKind(avif([1, 1]))).toBe('avif');
    expect(sniffImageKind(bytes([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
  });

  it('tells HEIC/HEIF from AVIF by the ftyp brands', () => {
    expect(sniffImageKind(ftyp('heic', 'mif1', 'heic'))).toBe('heic');
    expect(sniffImageKind(ftyp('mif1', 'heix'))).toBe('heic');
    expect(sniffImageKind(ftyp('msf1', 'hevc'))).toBe('heic');
    expect(sniffImageKind(ftyp('mif1', 'avif', 'miaf'))).toBe('avif');
    expect(sniffImageKind(ftyp('avis', 'msf1'))).toBe('avif');
    expect(sniffImageKind(ftyp('isom', 'mp41'))).toBe('unknown'); // an MP4 video
  });

  it('names the formats it refuses and calls the rest unknown', () => {
    expect(sniffImageKind(bytes('%PDF-1.7\n'))).toBe('pdf');
    expect(sniffImageKind(bytes([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0]))).toBe('tiff');
    expect(sniffImageKind(bytes([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8]))).toBe('tiff');
    expect(sniffImageKind(bytes('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe('svg');
    expect(sniffImageKind(bytes('  <svg viewBox="0 0 1 1"></svg>'))).toBe('svg');
    expect(sniffImageKind(bytes('BMW owners club: list of members\n'))).toBe('unknown');
    expect(sniffImageKind(bytes('hello, world'))).toBe('unknown');
    expect(sniffImageKind(new Uint8Array(0))).toBe('unknown');
  });
});

describe('readDimensions', () => {
  it('reads PNG, GIF, BMP and WebP headers', () => {
    expect(readDimensions(png(640, 480), 'png')).toEqual({ width: 640, height: 480 });
    expect(readDimensions(gif(300, 200), 'gif')).toEqual({ width: 300, height: 200 });
    expect(readDimensions(bmp(123, 45), 'bmp')).toEqual({ width: 123, height: 45 });
    expect(readDimensions(bmp(123, -45), 'bmp')).toEqual({ width: 123, height: 45 }); // top-down rows
    expect(readDimensions(webpLossy(1024, 768), 'webp')).toEqual({ width: 1024, height: 768 });
    expect(readDimensions(webpLossless(16383, 1), 'webp')).toEqual({ width: 16383, height: 1 });
    expect(readDimensions(webpLossless(7, 9000), 'webp')).toEqual({ width: 7, height: 9000 });
    expect(readDimensions(webpExtended(20000, 3), 'webp')).toEqual({ width: 20000, height: 3 });
  });

  it('reads the largest ispe of an AVIF (the full picture of a grid)', () => {
    expect(readDimensions(avif([512, 512], [1024, 768]), 'avif')).toEqual({ width: 1024, height: 768 });
    expect(readDimensions(ftyp('avif'), 'avif')).toBeNull();
  });

  it('returns null when the bytes are not the given kind or the header is cut', () => {
    expect(readDimensions(gif(1, 1), 'png')).toBeNull();
    expect(readDimensions(png(1, 1).subarray(0, 20), 'png')).toBeNull();
    expect(readDimensions(bytes([0xff, 0xd8, 0xff, 0xd9]), 'jpeg')).toBeNull();
  });

  it('reads a real JPEG from the dataset, matching a full decode', () => {
    const names = readdirSync(SHOES_DIR).filter((n) => n.endsWith('.jpg')).slice(0, 5);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const data = readFileSync(join(SHOES_DIR, name));
      const decoded = jpeg.decode(data, { useTArray: true });
      const size = readDimensions(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 'jpeg');
      expect(size, name).toEqual({ width: decoded.width, height: decoded.height });
    }
  });

  it('skips long APP segments and fill bytes before the frame header', () => {
    const app1 = bytes([0xff, 0xe1], [0xff, 0xff], new Uint8Array(0xfffd));
    const sof2 = bytes([0xff, 0xc2], [0, 17, 8], [0x01, 0x2c], [0x02, 0x58], [3], new Uint8Array(9));
    const file = bytes([0xff, 0xd8], app1, app1, [0xff, 0xff], sof2, [0xff, 0xda, 0, 2]);
    expect(readDimensions(file, 'jpeg')).toEqual({ width: 600, height: 300 });
  });
});

describe('inspectImageFile', () => {
  it('accepts a valid image and reports its size', async () => {
    const small = png(64, 48);
    expect(await inspectImageFile(blob(small), 'cats/a.png')).toEqual({ ok: true, kind: 'png', width: 64, height: 48, bytes: small });
    const name = readdirSync(SHOES_DIR).find((n) => n.endsWith('.jpg'))!;
    const file = readFileSync(join(SHOES_DIR, name));
    const real = await inspectImageFile(new Blob([file]), name);
    expect(real).toMatchObject({ ok: true, kind: 'jpeg' });
    // Read whole (it is small): the import hashes these bytes instead of reading the file again.
    expect(real.ok && real.bytes).toEqual(new Uint8Array(file));
  });

  it('gives no bytes for a file it read only the start of', async () => {
    const big = new Uint8Array(SNIFF_BYTES + 10);
    big.set(png(64, 48));
    const result = await inspectImageFile(blob(big), 'big.png');
    expect(result).toMatchObject({ ok: true, kind: 'png', width: 64, height: 48 });
    expect(result.ok && result.bytes).toBeUndefined();
  });

  it('skips system files by name, whatever their content', async () => {
    for (const name of ['.DS_Store', 'cats/Thumbs.db', 'desktop.ini', 'cats/._a.jpg']) {
      expect(isSystemFileName(name)).toBe(true);
      expect(await inspectImageFile(blob(png(1, 1)), name)).toMatchObject({ ok: false, reason: 'system-file' });
    }
    expect(isSystemFileName('cats/a_.jpg')).toBe(false);
  });

  it('skips empty, non-image and unsupported files with the right reason', async () => {
    const cases: [Uint8Array, string][] = [
      [new Uint8Array(0), 'empty'],
      [bytes('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n'), 'not-an-image'],
      [bytes('just some notes\n'), 'not-an-image'],
      [ftyp('heic', 'mif1', 'heic'), 'unsupported-format'],
      [bytes([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0]), 'unsupported-format'],
      [bytes('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'unsupported-format'],
    ];
    for (const [data, reason] of cases) {
      const result = await inspectImageFile(blob(data), 'x');
      expect(result, reason).toMatchObject({ ok: false, reason });
    }
  });

  it('refuses decompression bombs: tiny files declaring huge images', async () => {
    const bomb = png(30000, 30000);
    expect(bomb.length).toBeLessThan(100);
    expect(await inspectImageFile(blob(bomb), 'bomb.png')).toMatchObject({ ok: false, reason: 'too-large' });
    expect(await inspectImageFile(blob(gif(16385, 1)), 'wide.gif')).toMatchObject({ ok: false, reason: 'too-large' });
    // Under the side limit but over 100 megapixels.
    expect(await inspectImageFile(blob(webpExtended(12000, 12000)), 'big.webp')).toMatchObject({ ok: false, reason: 'too-large' });
    expect(await inspectImageFile(blob(png(16384, 6000)), 'ok.png')).toMatchObject({ ok: true });
  });

  it('refuses files bigger than the byte limit without reading them', async () => {
    const huge = { size: MAX_FILE_BYTES + 1, slice: () => { throw new Error('must not read'); } } as unknown as Blob;
    expect(await inspectImageFile(huge, 'huge.jpg')).toMatchObject({ ok: false, reason: 'too-large' });
  });

  it('calls truncated headers corrupt', async () => {
    const cut = png(10, 10).subarray(0, 30); // shorter than signature + IHDR chunk
    expect(await inspectImageFile(blob(cut), 'cut.png')).toMatchObject({ ok: false, reason: 'corrupt' });
    const noSof = bytes([0xff, 0xd8], [0xff, 0xe0, 0, 16], 'JFIF\0', new Uint8Array(9), [0xff, 0xd9]);
    expect(await inspectImageFile(blob(noSof), 'broken.jpg')).toMatchObject({ ok: false, reason: 'corrupt' });
    expect(await inspectImageFile(blob(bytes('GIF89a', [1])), 'cut.gif')).toMatchObject({ ok: false, reason: 'corrupt' });
    expect(await inspectImageFile(blob(png(0, 10)), 'zero.png')).toMatchObject({ ok: false, reason: 'corrupt' });
  });

  it('leaves a big JPEG whose frame header lies past the sniffed bytes to the decoder', async () => {
    const app = bytes([0xff, 0xe2], [0xff, 0xff], new Uint8Array(0xfffd));
    const segments = Array.from({ length: Math.ceil(SNIFF_BYTES / app.length) + 1 }, () => app);
    const sof0 = bytes([0xff, 0xc0], [0, 17, 8], be32(0x00400040), [3], new Uint8Array(9));
    const file = bytes([0xff, 0xd8], ...segments, sof0);
    expect(await inspectImageFile(blob(file), 'big.jpg')).toEqual({ ok: true, kind: 'jpeg', width: null, height: null });
  });

  it('has a plain sentence for every skip reason', () => {
    for (const text of Object.values(SKIP_REASON_TEXT)) expect(text).toMatch(/^[A-Z].+\.$/);
  });
});
