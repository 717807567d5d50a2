/**
 * Scale bench (issue 8): 20,000 photos in 200 classes, imported through the real folder drop in
 * headless Chromium, then a reload: time, long tasks, heap and RSS peaks (bench/import.ts does the
 * measuring). The photos are synthetic 96x96 JPEGs made here into /tmp (never committed): one
 * encoded picture per class, and per photo a JPEG comment segment with its index, so every file
 * has its own bytes (and hash) while the pixels repeat within a class. The point is the number of
 * files, not their content (jpeg-js would take ~25 min to encode 20,000 distinct pictures here).
 *
 *   npx tsx bench/scale.ts [--classes=200] [--per-class=100] [--no-build] [--profile] [--train=<backbone id>]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import jpeg from 'jpeg-js';

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const CLASSES = Number(arg('classes', '200'));
const PER_CLASS = Number(arg('per-class', '100'));
const SIDE = 96;
const ROOT = '/tmp/transfer-studio-scale';
const SPLIT = `photos-${CLASSES * PER_CLASS}`;

/** A distinct small JPEG per (class, index): a class colour, a diagonal and an index-dependent shade. */
function photo(c: number, i: number): Buffer {
  const data = Buffer.alloc(SIDE * SIDE * 4);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const o = (y * SIDE + x) * 4;
      data[o] = (c * 53) % 256;
      data[o + 1] = (x + y + c) % 24 < 6 ? 250 : (i * 7) % 256;
      data[o + 2] = (i * 131 + x) % 256;
      data[o + 3] = 255;
    }
  }
  return jpeg.encode({ data, width: SIDE, height: SIDE }, 85).data;
}

/** The JPEG with a COM segment (FF FE, length, text) right after SOI: other bytes, same picture. */
function withComment(jpg: Buffer, text: string): Buffer {
  const body = Buffer.from(text, 'latin1');
  const segment = Buffer.alloc(4 + body.length);
  segment.writeUInt16BE(0xfffe, 0);
  segment.writeUInt16BE(body.length + 2, 2);
  body.copy(segment, 4);
  return Buffer.concat([jpg.subarray(0, 2), segment, jpg.subarray(2)]);
}

const dir = join(ROOT, SPLIT);
if (!existsSync(join(dir, `class ${String(CLASSES - 1).padStart(3, '0')}`, `${PER_CLASS - 1}.jpg`))) {
  process.stderr.write(`making ${CLASSES * PER_CLASS} photos in ${dir}\n`);
  for (let c = 0; c < CLASSES; c++) {
    const cls = join(dir, `class ${String(c).padStart(3, '0')}`);
    mkdirSync(cls, { recursive: true });
    const base = photo(c, 0);
    for (let i = 0; i < PER_CLASS; i++) writeFileSync(join(cls, `${i}.jpg`), withComment(base, `photo ${c}/${i}`));
  }
}
const args = ['tsx', 'bench/import.ts', `--dataset=${ROOT}`, `--splits=${SPLIT}`, '--reload', '--timeout-min=60'];
for (const flag of ['--no-build', '--profile']) if (process.argv.includes(flag)) args.push(flag);
const train = process.argv.find((a) => a.startsWith('--train='));
if (train) args.push(train);
const run = spawnSync('npx', args, { stdio: 'inherit', cwd: join(import.meta.dirname, '..') });
process.exit(run.status ?? 1);
