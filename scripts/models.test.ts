import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs module of the install scripts, typed by use here.
import { readManifest } from './models-manifest.mjs';

const ROOT = join(import.meta.dirname, '..');
const MODELS = join(ROOT, 'public', 'models');
const manifest = readManifest(ROOT) as { sum: string; file: string }[];

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

describe('the committed backbone weights', () => {
  it('are exactly the files models.sha256 lists, each with its listed sha256', () => {
    const onDisk = walk(MODELS).map((p) => relative(MODELS, p).split('\\').join('/')).sort();
    expect(onDisk).toEqual(manifest.map((e) => e.file).sort());
    for (const { sum, file } of manifest) {
      expect(createHash('sha256').update(readFileSync(join(MODELS, file))).digest('hex'), file).toBe(sum);
    }
  });

  it('cover every backbone of the catalog with a model.json that names weight files that exist', async () => {
    const { BACKBONES } = await import('../src/ml/backbones/catalog');
    for (const b of BACKBONES) {
      const json = JSON.parse(readFileSync(join(MODELS, b.id, 'model.json'), 'utf8')) as { weightsManifest: { paths: string[] }[] };
      for (const path of json.weightsManifest.flatMap((g) => g.paths)) expect(manifest.map((e) => e.file)).toContain(`${b.id}/${path}`);
    }
  });

  it('are documented, with their licence, in docs/models.md and NOTICE', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'models.md'), 'utf8');
    const notice = readFileSync(join(ROOT, 'NOTICE'), 'utf8');
    for (const id of new Set(manifest.map((e) => e.file.split('/')[0]))) {
      expect(doc).toContain(id);
      expect(notice).toContain(id);
    }
    expect(notice).toContain('Apache License');
  });
});
