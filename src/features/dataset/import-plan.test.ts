import { describe, expect, it } from 'vitest';
import type { PathedFile } from '../../platform/folder-walk';
import { findDuplicates, planClassImport, planDatasetImport } from './import-plan';

function pathed(...paths: string[]): PathedFile[] {
  return paths.map((path) => ({ file: new File([new Uint8Array([1])], path.split('/').at(-1) ?? path), path }));
}
function classes(plan: ReturnType<typeof planDatasetImport>): Record<string, string> {
  return Object.fromEntries(plan.planned.map((p) => [p.path, p.className]));
}
function reasons(plan: ReturnType<typeof planDatasetImport>): Record<string, string> {
  return Object.fromEntries(plan.skipped.map((s) => [s.path, s.reason]));
}

describe('planDatasetImport', () => {
  it('treats one parent folder with subfolders as the dataset: each subfolder is a class', () => {
    const plan = planDatasetImport(
      pathed('dataset/cats/a.jpg', 'dataset/cats/2019/summer/b.jpg', 'dataset/dogs/c.png', 'dataset/README.txt', 'dataset/cover.jpg'),
    );
    expect(classes(plan)).toEqual({ 'dataset/cats/a.jpg': 'cats', 'dataset/cats/2019/summer/b.jpg': 'cats', 'dataset/dogs/c.png': 'dogs' });
    expect(reasons(plan)).toEqual({ 'dataset/README.txt': 'no-class-folder', 'dataset/cover.jpg': 'no-class-folder' });
    expect(plan.skipped[0]?.detail).toContain('dataset');
  });

  it('makes each dropped folder a class when several folders are dropped at once', () => {
    const plan = planDatasetImport(pathed('cats/a.jpg', 'cats/old/b.jpg', 'dogs/c.jpg', 'loose.jpg'));
    expect(classes(plan)).toEqual({ 'cats/a.jpg': 'cats', 'cats/old/b.jpg': 'cats', 'dogs/c.jpg': 'dogs' });
    expect(reasons(plan)).toEqual({ 'loose.jpg': 'no-class-folder' });
  });

  it('makes a picked folder without subfolders one class named after it', () => {
    const plan = planDatasetImport(pathed('Golden retrievers/1.jpg', 'Golden retrievers/2.jpg'));
    expect(plan.planned.map((p) => p.className)).toEqual(['Golden retrievers', 'Golden retrievers']);
    expect(plan.skipped).toEqual([]);
  });

  it('skips loose files when no folder was dropped', () => {
    const plan = planDatasetImport(pathed('a.jpg', 'b.jpg'));
    expect(plan.planned).toEqual([]);
    expect(plan.skipped.map((s) => s.reason)).toEqual(['no-class-folder', 'no-class-folder']);
  });

  it('skips system files and system folders without letting them shape the classes', () => {
    const plan = planDatasetImport(
      pathed(
        'dataset/.DS_Store',
        'dataset/cats/Thumbs.db',
        'dataset/cats/._a.jpg',
        'dataset/cats/a.jpg',
        'dataset/dogs/desktop.ini',
        'dataset/dogs/b.jpg',
        'dataset/__MACOSX/cats/a.jpg',
        'dataset/.git/objects/ab',
      ),
    );
    expect(classes(plan)).toEqual({ 'dataset/cats/a.jpg': 'cats', 'dataset/dogs/b.jpg': 'dogs' });
    expect(new Set(plan.skipped.map((s) => s.reason))).toEqual(new Set(['system-file']));
    expect(plan.skipped).toHaveLength(6);
  });

  it('trims class names but keeps user text otherwise, and refuses blank ones', () => {
    const plan = planDatasetImport(pathed(' <img src=x onerror=alert(1)> Cats /a.jpg', 'Éclairs & co/b.jpg', '   /c.jpg'));
    expect(plan.planned.map((p) => p.className)).toEqual(['<img src=x onerror=alert(1)> Cats', 'Éclairs & co']);
    expect(reasons(plan)).toEqual({ '   /c.jpg': 'no-class-folder' });
  });

  it('makes folder names with line breaks or tabs one-line class names', () => {
    const plan = planDatasetImport(pathed('data/red\napple/a.jpg', 'data/green\tapple/b.jpg', 'data/pear\r\n/c.jpg', 'data/\n\t/d.jpg'));
    expect(classes(plan)).toEqual({ 'data/red\napple/a.jpg': 'red apple', 'data/green\tapple/b.jpg': 'green apple', 'data/pear\r\n/c.jpg': 'pear' });
    expect(reasons(plan)).toEqual({ 'data/\n\t/d.jpg': 'no-class-folder' });
  });

  it('puts folders whose names differ only in spaces or line breaks in one class, and says so with the folder names', () => {
    const plan = planDatasetImport(pathed('data/cat/a.jpg', 'data/cat /b.jpg', 'data/cat\n/c.jpg', 'data/dog/d.jpg', 'data/dog/e.jpg'));
    expect(new Set(plan.planned.map((p) => p.className))).toEqual(new Set(['cat', 'dog']));
    expect(plan.planned.filter((p) => p.className === 'cat')).toHaveLength(3);
    expect(plan.skipped).toHaveLength(1);
    const notice = plan.skipped[0];
    expect(notice?.reason).toBe('merged-folders');
    expect(notice?.path).toBe('data/cat');
    expect(notice?.detail).toContain('Folders "cat", "cat " and "cat\\n" all become the class "cat"');
  });

  it('reports nothing when each folder is its own class', () => {
    expect(planDatasetImport(pathed('cat/a.jpg', 'Cat/b.jpg', 'cat/c.jpg')).skipped).toEqual([]);
  });

  it('keeps every file of large folders, in order', () => {
    const paths = [...Array.from({ length: 150 }, (_, i) => `data/cats/${i}.jpg`), ...Array.from({ length: 130 }, (_, i) => `data/dogs/x/${i}.jpg`)];
    const plan = planDatasetImport(pathed(...paths));
    expect(plan.planned.map((p) => p.path)).toEqual(paths);
    expect(plan.planned.filter((p) => p.className === 'cats')).toHaveLength(150);
    expect(plan.planned.filter((p) => p.className === 'dogs')).toHaveLength(130);
    expect(plan.skipped).toEqual([]);
  });

  it('keeps the File objects it was given', () => {
    const files = pathed('a/b.jpg');
    expect(planDatasetImport(files).planned[0]?.file).toBe(files[0]?.file);
  });
});

describe('planClassImport', () => {
  it('sends everything but system files to the one class', () => {
    const plan = planClassImport(pathed('x.jpg', 'folder/y.jpg', 'folder/deep/z.jpg', '.DS_Store'), '  Shoes ');
    expect(plan.planned.map((p) => p.className)).toEqual(['Shoes', 'Shoes', 'Shoes']);
    expect(plan.skipped).toEqual([{ path: '.DS_Store', reason: 'system-file', detail: expect.any(String) }]);
  });
});

describe('findDuplicates', () => {
  it('groups equal hashes within and across classes', () => {
    const groups = findDuplicates([
      { hash: 'h1', classId: 'cats', path: 'cats/a.jpg' },
      { hash: 'h2', classId: 'cats', path: 'cats/b.jpg' },
      { hash: 'h1', classId: 'cats', path: 'cats/a copy.jpg' },
      { hash: 'h3', classId: 'cats', path: 'cats/c.jpg' },
      { hash: 'h3', classId: 'dogs', path: 'dogs/c.jpg' },
      { hash: 'h4', classId: 'dogs', path: 'dogs/d.jpg' },
    ]);
    expect(groups).toEqual([
      { hash: 'h1', items: [{ path: 'cats/a.jpg', classId: 'cats' }, { path: 'cats/a copy.jpg', classId: 'cats' }], crossClass: false },
      { hash: 'h3', items: [{ path: 'cats/c.jpg', classId: 'cats' }, { path: 'dogs/c.jpg', classId: 'dogs' }], crossClass: true },
    ]);
  });

  it('finds nothing among distinct images', () => {
    expect(findDuplicates([{ hash: 'a', classId: 'x', path: 'a' }, { hash: 'b', classId: 'x', path: 'b' }])).toEqual([]);
    expect(findDuplicates([])).toEqual([]);
  });
});
