import { unzipSync } from 'fflate';

/** Limits for reading a zip: what each entry and all entries together may expand to. */
export interface ZipLimits {
  maxEntryBytes: number;
  maxTotalBytes: number;
  maxEntries: number;
}

/** True when the bytes start like a zip archive ("PK\x03\x04", or "PK\x05\x06" for an empty one). */
export function looksLikeZip(head: Uint8Array): boolean {
  return head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5) && (head[3] === 4 || head[3] === 6);
}

/**
 * Unpacks the entries `want` accepts; `want` may also give an entry's own size limit (bytes).
 * Sizes are checked from the zip's directory BEFORE anything is decompressed (fflate allocates the
 * declared size), so a zip bomb is refused, not expanded. Throws an Error whose message says what
 * was expected (`expected`) and what was found.
 */
export function readZip(bytes: Uint8Array, want: (name: string) => boolean | number, limits: ZipLimits, expected: string): Record<string, Uint8Array> {
  let count = 0;
  let total = 0;
  let tooBig: string | null = null;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        const wanted = want(f.name);
        if (wanted === false || tooBig) return false;
        const entryLimit = typeof wanted === 'number' ? Math.min(wanted, limits.maxEntryBytes) : limits.maxEntryBytes;
        count++;
        total += f.originalSize;
        if (f.originalSize > entryLimit || total > limits.maxTotalBytes || count > limits.maxEntries) {
          tooBig = `${f.name.slice(0, 80)} (${f.originalSize} bytes)`;
          return false;
        }
        return true;
      },
    });
  } catch (error) {
    throw new Error(`This file is not a zip archive the app can read (${(error as Error).message}). Expected ${expected}.`, { cause: error });
  }
  if (tooBig) throw new Error(`The zip holds more than the app opens: ${tooBig as string} is over the limit. Expected ${expected}.`);
  return files;
}

/** The last part of a path ("a/b/model.json" -> "model.json"). */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
