import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHARED } from './helpers';

/** Copies the first `perClass` photos of some sign-digits classes into a fresh parent folder. */
export function signDigitsSubset(classes: readonly string[], perClass: number, offset = 0): string {
  const root = mkdtempSync(join(tmpdir(), 'digits-'));
  const parent = join(root, 'digits');
  for (const c of classes) {
    const from = join(SHARED, 'datasets/sign-digits', c);
    mkdirSync(join(parent, c), { recursive: true });
    for (const name of readdirSync(from).sort().slice(offset, offset + perClass)) copyFileSync(join(from, name), join(parent, c, name));
  }
  return parent;
}

/** Copies `perClass` photos of some clothing-small classes of one split into a fresh parent folder. */
export function clothingSubset(split: 'train' | 'validation' | 'test', classes: readonly string[], perClass: number): string {
  const root = mkdtempSync(join(tmpdir(), `clothing-${split}-`));
  const parent = join(root, split);
  for (const c of classes) {
    const from = join(SHARED, 'datasets/clothing-small', split, c);
    mkdirSync(join(parent, c), { recursive: true });
    for (const name of readdirSync(from).sort().slice(0, perClass)) copyFileSync(join(from, name), join(parent, c, name));
  }
  return parent;
}
