import { AppError, type AppErrorCode } from '../lib/errors';

/** Image formats the app imports (what browsers' createImageBitmap decodes). */
export type ImageKind = 'jpeg' | 'png' | 'gif' | 'webp' | 'bmp' | 'avif';

/** What the magic bytes say a file is: an importable image, a known non-importable format, or unknown. */
export type SniffedKind = ImageKind | 'heic' | 'pdf' | 'tiff' | 'svg' | 'unknown';

/** Why a file was left out of an import (a short stable code, shown as `data-reason`). */
export type SkipReason =
  | 'empty'
  | 'not-an-image'
  | 'unsupported-format'
  | 'too-large'
  | 'corrupt'
  | 'duplicate'
  | 'system-file'
  | 'no-class-folder'
  | 'not-saved';

/** One plain sentence per skip reason: what is wrong and what to do. */
export const SKIP_REASON_TEXT: Record<SkipReason, string> = {
  empty: 'The file is empty (0 bytes). Copy the original photo again.',
  'not-an-image': 'This is not a photo. Use JPEG, PNG, WebP, GIF, BMP or AVIF images.',
  'unsupported-format': 'Browsers cannot read this format (HEIC, TIFF, SVG). Convert it to JPEG or PNG first.',
  'too-large': 'This image is too large to process safely. Resize it below 16,384 pixels a side and 50 MB.',
  corrupt: 'The file is damaged or cut short. Replace it with a good copy.',
  duplicate: 'The same photo is already in this class, so it was added only once.',
  'system-file': 'A system file, not a photo; it was ignored.',
  'no-class-folder': 'This file is not inside a class folder. Put it in a subfolder named after its class.',
  'not-saved': 'The import stopped before this photo was saved (see the storage message above). Fix that, then add it again.',
};

/** Largest file the app imports, in bytes (50 MB). */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;
/** Largest width or height the app decodes (same limit as image-decode.ts). */
export const MAX_IMAGE_SIDE = 16_384;
/** Largest pixel count the app decodes (100 megapixels): guards against decompression bombs. */
export const MAX_IMAGE_PIXELS = 100_000_000;
/** How much of a file is read to sniff its format and size (256 KB). */
export const SNIFF_BYTES = 256 * 1024;

const SYSTEM_NAMES = new Set(['.ds_store', 'thumbs.db', 'ehthumbs.db', 'desktop.ini', '.localized']);

/** True for operating-system clutter such as `.DS_Store`, `Thumbs.db`, `desktop.ini` and macOS `._` files. */
export function isSystemFileName(name: string): boolean {
  const base = name.slice(name.lastIndexOf('/') + 1);
  return base.startsWith('._') || SYSTEM_NAMES.has(base.toLowerCase());
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  let s = '';
  for (let i = start; i < start + length && i < bytes.length; i++) s += String.fromCharCode(bytes[i] ?? 0);
  return s;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((b, i) => bytes[at + i] === b);
}

function u16be(b: Uint8Array, o: number): number {
  return ((b[o] ?? 0) << 8) | (b[o + 1] ?? 0);
}
function u16le(b: Uint8Array, o: number): number {
  return (b[o] ?? 0) | ((b[o + 1] ?? 0) << 8);
}
function u24le(b: Uint8Array, o: number): number {
  return u16le(b, o) | ((b[o + 2] ?? 0) << 16);
}
function u32be(b: Uint8Array, o: number): number {
  return u16be(b, o) * 0x10000 + u16be(b, o + 2);
}
function u32le(b: Uint8Array, o: number): number {
  return u16le(b, o) + u16le(b, o + 2) * 0x10000;
}
function i32le(b: Uint8Array, o: number): number {
  return u32le(b, o) | 0;
}

const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);
const AVIF_BRANDS = new Set(['avif', 'avis']);
const BMP_HEADER_SIZES = new Set([12, 16, 40, 52, 56, 64, 108, 124]);

/** Brands of an ISO-BMFF `ftyp` box (major first), or null when the file does not start with one. */
function ftypBrands(head: Uint8Array): string[] | null {
  if (head.length < 12 || ascii(head, 4, 4) !== 'ftyp') return null;
  const size = Math.min(u32be(head, 0), head.length);
  const brands = [ascii(head, 8, 4)];
  for (let o = 16; o + 4 <= size; o += 4) brands.push(ascii(head, o, 4));
  return brands;
}

function looksLikeSvg(head: Uint8Array): boolean {
  const text = ascii(head, 0, 2048).replace(/^\uFEFF|^\u00EF\u00BB\u00BF/, '').trimStart().toLowerCase();
  return text.startsWith('<') && text.includes('<svg');
}

/** Identifies a file's format from its first bytes (magic numbers), never from its name. */
export function sniffImageKind(head: Uint8Array): SniffedKind {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  const six = ascii(head, 0, 6);
  if (six === 'GIF87a' || six === 'GIF89a') return 'gif';
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 4) === 'WEBP') return 'webp';
  if (ascii(head, 0, 2) === 'BM' && (head.length < 18 || BMP_HEADER_SIZES.has(u32le(head, 14)))) return 'bmp';
  const brands = ftypBrands(head);
  if (brands) {
    if (brands.some((b) => AVIF_BRANDS.has(b))) return 'avif';
    if (brands.some((b) => HEIF_BRANDS.has(b))) return 'heic';
    return 'unknown';
  }
  if (ascii(head, 0, 5) === '%PDF-') return 'pdf';
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (looksLikeSvg(head)) return 'svg';
  return 'unknown';
}

type Size = { width: number; height: number };

function pngSize(b: Uint8Array): Size | null {
  if (b.length < 24 || ascii(b, 12, 4) !== 'IHDR') return null;
  return { width: u32be(b, 16), height: u32be(b, 20) };
}

function gifSize(b: Uint8Array): Size | null {
  return b.length < 10 ? null : { width: u16le(b, 6), height: u16le(b, 8) };
}

function bmpSize(b: Uint8Array): Size | null {
  if (b.length < 26) return null;
  if (u32le(b, 14) === 12) return { width: u16le(b, 18), height: u16le(b, 20) };
  return { width: Math.abs(i32le(b, 18)), height: Math.abs(i32le(b, 22)) };
}

function webpSize(b: Uint8Array): Size | null {
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8 ' && b.length >= 30 && startsWith(b, [0x9d, 0x01, 0x2a], 23)) {
    return { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  }
  if (chunk === 'VP8L' && b.length >= 25 && b[20] === 0x2f) {
    const b1 = b[21] ?? 0, b2 = b[22] ?? 0, b3 = b[23] ?? 0, b4 = b[24] ?? 0;
    return { width: 1 + (b1 | ((b2 & 0x3f) << 8)), height: 1 + ((b2 >> 6) | (b3 << 2) | ((b4 & 0x0f) << 10)) };
  }
  if (chunk === 'VP8X' && b.length >= 30) return { width: 1 + u24le(b, 24), height: 1 + u24le(b, 27) };
  return null;
}

function isSofMarker(m: number): boolean {
  return m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
}

function jpegSize(b: Uint8Array): Size | null {
  let o = 2;
  while (o + 4 <= b.length) {
    if (b[o] !== 0xff) return null;
    const marker = b[o + 1] ?? 0;
    if (marker === 0xff) {
      o += 1; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      o += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null; // end of image, or scan data before any frame header
    if (isSofMarker(marker)) return o + 9 <= b.length ? { width: u16be(b, o + 7), height: u16be(b, o + 5) } : null;
    o += 2 + u16be(b, o + 2);
  }
  return null;
}

/** Walks ISO-BMFF boxes in [start, end) and calls `visit(type, contentStart, boxEnd)` for each. */
function eachBox(b: Uint8Array, start: number, end: number, visit: (type: string, content: number, boxEnd: number) => void): void {
  let o = start;
  while (o + 8 <= end) {
    let size = u32be(b, o);
    let content = o + 8;
    if (size === 1) {
      if (o + 16 > end) return;
      size = u32be(b, o + 8) * 0x1_0000_0000 + u32be(b, o + 12);
      content = o + 16;
    } else if (size === 0) {
      size = end - o;
    }
    if (size < content - o) return;
    const boxEnd = Math.min(o + size, end);
    visit(ascii(b, o + 4, 4), content, boxEnd);
    o += size;
  }
}

/** The largest `ispe` (image spatial extents) in meta/iprp/ipco: for grid images that is the whole picture. */
function avifSize(b: Uint8Array): Size | null {
  let best: Size | null = null;
  const walk = (start: number, end: number, path: readonly string[]): void => {
    eachBox(b, start, end, (type, content, boxEnd) => {
      const depth = path.length;
      if (depth === 0 && type === 'meta') walk(content + 4, boxEnd, ['meta']); // full box: skip version/flags
      else if (depth === 1 && type === 'iprp') walk(content, boxEnd, [...path, type]);
      else if (depth === 2 && type === 'ipco') walk(content, boxEnd, [...path, type]);
      else if (depth === 3 && type === 'ispe' && content + 12 <= boxEnd) {
        const size = { width: u32be(b, content + 4), height: u32be(b, content + 8) };
        if (!best || size.width * size.height > best.width * best.height) best = size;
      }
    });
  };
  walk(0, b.length, []);
  return best;
}

/** Width and height declared in an image's header (read from `head`, the file's first bytes), or null if not found. */
export function readDimensions(head: Uint8Array, kind: ImageKind): { width: number; height: number } | null {
  if (sniffImageKind(head) !== kind) return null;
  switch (kind) {
    case 'png':
      return pngSize(head);
    case 'gif':
      return gifSize(head);
    case 'bmp':
      return bmpSize(head);
    case 'webp':
      return webpSize(head);
    case 'jpeg':
      return jpegSize(head.subarray(0, SNIFF_BYTES));
    case 'avif':
      return avifSize(head);
  }
}

/** Result of a quick look at a file: an importable image (size when the header gives it), or why it is skipped. */
export type InspectResult =
  | {
      ok: true;
      kind: ImageKind;
      width: number | null;
      height: number | null;
      /** The whole file, when it was small enough to read whole (the import hashes it without reading it again). */
      bytes?: Uint8Array;
    }
  | { ok: false; reason: SkipReason; detail: string };

const UNSUPPORTED_DETAIL: Record<'heic' | 'tiff' | 'svg', string> = {
  heic: 'HEIC/HEIF photo (iPhone format): most browsers cannot decode it',
  tiff: 'TIFF image: browsers cannot decode it',
  svg: 'SVG drawing: not a photo the model can read',
};

function skip(reason: SkipReason, detail: string): InspectResult {
  return { ok: false, reason, detail };
}

/** Bytes a file of each kind needs before its pixel data: PNG's signature plus its 25-byte IHDR chunk, and so on. */
const MIN_HEADER_BYTES: Record<ImageKind, number> = { png: 33, gif: 13, bmp: 26, webp: 30, jpeg: 4, avif: 12 };

/** True when the header is cut short, or when the format's size field is missing (`wholeFile`: `head` holds every byte). */
function headerBroken(head: Uint8Array, kind: ImageKind, size: Size | null, wholeFile: boolean): boolean {
  if (head.length < MIN_HEADER_BYTES[kind]) return true;
  if (size) return false;
  if (kind === 'avif') return false; // our box walk is best-effort: the decoder decides
  if (kind === 'jpeg') return wholeFile; // no frame header anywhere in the file
  return true;
}

/** Checks a file before decoding: system clutter, empty, too big, wrong format, corrupt header or a decompression bomb. */
export async function inspectImageFile(file: Blob, name: string): Promise<InspectResult> {
  if (isSystemFileName(name)) return skip('system-file', `${name} is a system file`);
  if (file.size === 0) return skip('empty', 'The file has 0 bytes');
  if (file.size > MAX_FILE_BYTES) {
    return skip('too-large', `The file has ${(file.size / 1024 / 1024).toFixed(1)} MB; the limit is ${MAX_FILE_BYTES / 1024 / 1024} MB`);
  }
  // Small files are read whole: Blob.slice costs a synchronous round trip to the browser process per call.
  const head = new Uint8Array(await (file.size <= SNIFF_BYTES ? file : file.slice(0, SNIFF_BYTES)).arrayBuffer());
  const kind = sniffImageKind(head);
  if (kind === 'heic' || kind === 'tiff' || kind === 'svg') return skip('unsupported-format', UNSUPPORTED_DETAIL[kind]);
  if (kind === 'pdf' || kind === 'unknown') {
    return skip('not-an-image', kind === 'pdf' ? 'PDF document' : 'The file content is not a known image format');
  }
  const size = readDimensions(head, kind);
  if (headerBroken(head, kind, size, head.length >= file.size)) {
    return skip('corrupt', `The ${kind.toUpperCase()} header is missing or cut short`);
  }
  const whole = head.length >= file.size ? { bytes: head } : {};
  if (!size) return { ok: true, kind, width: null, height: null, ...whole };
  const { width, height } = size;
  if (width === 0 || height === 0) return skip('corrupt', `The header declares a ${width}x${height} image`);
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE || width * height > MAX_IMAGE_PIXELS) {
    return skip('too-large', `The image declares ${width}x${height} pixels; the limit is ${MAX_IMAGE_SIDE} a side and ${MAX_IMAGE_PIXELS / 1e6} megapixels`);
  }
  return { ok: true, kind, width, height, ...whole };
}

/** The typed error a decode is refused with, for each reason the header check gives. */
const DECODE_REFUSAL: Record<SkipReason, AppErrorCode> = {
  'system-file': 'unsupported-file',
  empty: 'empty-file',
  'too-large': 'too-large',
  'unsupported-format': 'unsupported-file',
  'not-an-image': 'unsupported-file',
  corrupt: 'decode-failed',
  duplicate: 'decode-failed',
  'no-class-folder': 'decode-failed',
  'not-saved': 'decode-failed',
};

/**
 * The header check every decode runs first (prediction, probe, the int8 check, training copies):
 * refuses a declared decompression bomb, an oversized file or a non-image with a typed AppError
 * before `createImageBitmap` spends memory on it.
 */
export async function checkBeforeDecode(blob: Blob): Promise<void> {
  const check = await inspectImageFile(blob, '');
  if (!check.ok) throw new AppError(DECODE_REFUSAL[check.reason], check.detail);
}
