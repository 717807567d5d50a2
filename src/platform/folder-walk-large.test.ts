import { describe, expect, it } from 'vitest';
import { filesFromDataTransfer } from './folder-walk';

/** More files than V8 accepts as spread arguments (`push(...files)` throws "Maximum call stack size exceeded" from ~150,000). */
const FILES = 250_000;
const PAGE = 100;

/** A minimal directory entry with `count` files, handed out `PAGE` at a time; one shared `File` keeps memory low. */
function bigDir(name: string, count: number): FileSystemDirectoryEntry {
  const file = new File(['x'], 'x.jpg', { type: 'image/jpeg' });
  const children = Array.from({ length: count }, (_, i) => ({ isFile: true, isDirectory: false, name: `${i}.jpg`, file: (ok: (f: File) => void) => ok(file) }));
  return {
    isFile: false,
    isDirectory: true,
    name,
    createReader: () => {
      let next = 0;
      return {
        readEntries: (ok: (entries: unknown[]) => void) => {
          const page = children.slice(next, next + PAGE);
          next += page.length;
          ok(page);
        },
      };
    },
  } as unknown as FileSystemDirectoryEntry;
}

function parentOf(name: string, child: FileSystemDirectoryEntry): FileSystemDirectoryEntry {
  return {
    isFile: false,
    isDirectory: true,
    name,
    createReader: () => {
      let done = false;
      return {
        readEntries: (ok: (entries: unknown[]) => void) => {
          ok(done ? [] : [child]);
          done = true;
        },
      };
    },
  } as unknown as FileSystemDirectoryEntry;
}

describe('folder walk of a very large drop', () => {
  it('collects 250,000 files of one class folder without spreading them into a call', async () => {
    const entry = parentOf('dataset', bigDir('cats', FILES));
    const data = { items: [{ kind: 'file', webkitGetAsEntry: () => entry }], files: [] } as unknown as DataTransfer;
    const files = await filesFromDataTransfer(data);
    expect(files).toHaveLength(FILES);
    expect(new Set(files.map((f) => f.path)).size).toBe(FILES);
    expect(files[0]?.path).toBe('dataset/cats/0.jpg');
  });
});
