import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAMPLE_PHOTOS, TEST_PHOTOS, sharedDataset } from './helpers';

/** Photos per digit committed in test-photos/sign-digits. */
const COMMITTED_DIGITS = 52;
/** Photos per class committed: the sample project (train) and test-photos/clothing-test. */
const COMMITTED_CLOTHING = { train: { dir: SAMPLE_PHOTOS, n: 25, classes: ['dress', 'hat', 'pants', 'shoes'] }, test: { dir: join(TEST_PHOTOS, 'clothing-test'), n: 5, classes: ['dress', 'hat', 'pants', 'shoes'] } };

/** Copies the first `perClass` photos of some sign-digits classes into a fresh parent folder (committed photos when enough, else the full set). */
export function signDigitsSubset(classes: readonly string[], perClass: number, offset = 0): string {
  const source = offset + perClass <= COMMITTED_DIGITS ? join(TEST_PHOTOS, 'sign-digits') : sharedDataset('sign-digits');
  const root = mkdtempSync(join(tmpdir(), 'digits-'));
  const parent = join(root, 'digits');
  for (const c of classes) {
    const from = join(source, c);
    mkdirSync(join(parent, c), { recursive: true });
    for (const name of readdirSync(from).sort().slice(offset, offset + perClass)) copyFileSync(join(from, name), join(parent, c, name));
  }
  return parent;
}

/** Copies `perClass` photos of some clothing-small classes of one split into a fresh parent folder (committed photos when enough, else the full set). */
export function clothingSubset(split: 'train' | 'validation' | 'test', classes: readonly string[], perClass: number): string {
  const committed = split === 'validation' ? null : COMMITTED_CLOTHING[split];
  const source = committed && perClass <= committed.n && classes.every((c) => committed.classes.includes(c)) ? committed.dir : join(sharedDataset('clothing-small'), split);
  const root = mkdtempSync(join(tmpdir(), `clothing-${split}-`));
  const parent = join(root, split);
  for (const c of classes) {
    const from = join(source, c);
    mkdirSync(join(parent, c), { recursive: true });
    for (const name of readdirSync(from).sort().slice(0, perClass)) copyFileSync(join(from, name), join(parent, c, name));
  }
  return parent;
}
