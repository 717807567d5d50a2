import { describe, expect, it } from 'vitest';
import { filesFromDataTransfer, filesFromInput, walkEntry } from './folder-walk';

/** Like browsers, readEntries hands out at most this many entries per call. */
const PAGE = 100;

interface FakeFile {
  isFile: true;
  isDirectory: false;
  name: string;
  file(ok: (f: File) => void, fail: (e: Error) => void): void;
}
interface FakeDir {
  isFile: false;
  isDirectory: true;
  name: string;
  readCalls: number;
  createReader(): { readEntries(ok: (entries: FakeEntry[]) => void, fail: (e: Error) => void): void };
}
type FakeEntry = FakeFile | FakeDir;

function fakeFile(name: string): FakeFile {
  return {
    isFile: true,
    isDirectory: false,
    name,
    file: (ok) => setTimeout(() => ok(new File([name], name, { type: 'image/jpeg' })), 0),
  };
}

function fakeDir(name: string, children: FakeEntry[]): FakeDir {
  const dir: FakeDir = {
    isFile: false,
    isDirectory: true,
    name,
    readCalls: 0,
    createReader() {
      let next = 0;
      return {
        readEntries(ok) {
          dir.readCalls++;
          const page = children.slice(next, next + PAGE);
          next += page.length;
          setTimeout(() => ok(page), 0); // asynchronous, as in browsers
        },
      };
    },
  };
  return dir;
}

const asEntry = (e: FakeEntry): FileSystemEntry => e as unknown as FileSystemEntry;
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const pad = (i: number): string => String(i).padStart(3, '0');

describe('walkEntry', () => {
  it('reads past the ~100-entries-per-call limit and into nested folders', async () => {
    const cats = fakeDir('cats', range(250).map((i) => fakeFile(`${pad(i)}.jpg`)));
    const puppies = fakeDir('puppies', range(120).map((i) => fakeFile(`p${pad(i)}.jpg`)));
    const dogs = fakeDir('dogs', [fakeFile('d1.jpg'), fakeDir('2019', [fakeDir('summer', [puppies]), fakeFile('old.png')])]);
    const root = fakeDir('dataset', [dogs, fakeFile('README.txt'), cats, fakeDir('empty', [])]);

    const files = await walkEntry(asEntry(root));

    expect(files).toHaveLength(250 + 120 + 3);
    expect(cats.readCalls).toBe(4); // 100 + 100 + 50 + the empty page that ends the loop
    const paths = files.map((f) => f.path);
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths.filter((p) => p.startsWith('dataset/cats/'))).toEqual(range(250).map((i) => `dataset/cats/${pad(i)}.jpg`));
    expect(paths.filter((p) => p.startsWith('dataset/dogs/2019/summer/puppies/'))).toHaveLength(120);
    expect(paths).toContain('dataset/dogs/2019/old.png');
    expect(paths).toContain('dataset/dogs/d1.jpg');
    expect(paths).toContain('dataset/README.txt');
    // Siblings come in name order, depth first.
    expect(paths[0]).toBe('dataset/cats/000.jpg');
    expect(paths.at(-1)).toBe('dataset/README.txt');
    for (const { file, path } of files) expect(path.endsWith(`/${file.name}`)).toBe(true);
  });

  it('fetches the files of a folder concurrently but returns them in name order', async () => {
    let inFlight = 0;
    let most = 0;
    const slow = (name: string, delay: number): FakeFile => ({
      isFile: true,
      isDirectory: false,
      name,
      file: (ok) => {
        most = Math.max(most, ++inFlight);
        setTimeout(() => {
          inFlight--;
          ok(new File([name], name));
        }, delay);
      },
    });
    // Later names answer first.
    const dir = fakeDir('d', range(40).map((i) => slow(`${pad(i)}.jpg`, 40 - i)));
    const files = await walkEntry(asEntry(dir));
    expect(files.map((f) => f.path)).toEqual(range(40).map((i) => `d/${pad(i)}.jpg`));
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(32);
  });

  it('returns a dropped file as itself', async () => {
    const files = await walkEntry(asEntry(fakeFile('photo.jpg')));
    expect(files.map((f) => f.path)).toEqual(['photo.jpg']);
    expect(files[0]?.file).toBeInstanceOf(File);
  });
});

describe('filesFromDataTransfer', () => {
  it('walks every dropped folder', async () => {
    const items = [fakeDir('cats', [fakeFile('a.jpg')]), fakeDir('dogs', [fakeFile('b.jpg')])].map((entry) => ({
      kind: 'file',
      webkitGetAsEntry: () => entry,
    }));
    const data = { items, files: [] } as unknown as DataTransfer;
    expect((await filesFromDataTransfer(data)).map((f) => f.path)).toEqual(['cats/a.jpg', 'dogs/b.jpg']);
  });

  it('falls back to plain files when entries are unavailable', async () => {
    const file = new File(['x'], 'x.jpg');
    const data = { items: [], files: [file] } as unknown as DataTransfer;
    expect(await filesFromDataTransfer(data)).toEqual([{ file, path: 'x.jpg' }]);
  });
});

describe('filesFromInput', () => {
  it('uses webkitRelativePath from folder pickers and the name otherwise', () => {
    const picked = Object.assign(new File(['x'], 'a.jpg'), { webkitRelativePath: 'dataset/cats/a.jpg' });
    const plain = new File(['y'], 'b.jpg');
    const list = [picked, plain] as unknown as FileList;
    expect(filesFromInput(list).map((f) => f.path)).toEqual(['dataset/cats/a.jpg', 'b.jpg']);
    expect(filesFromInput(null)).toEqual([]);
  });
});
