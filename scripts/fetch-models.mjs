#!/usr/bin/env node
// Fills public/models/<id>/ from ../shared/models (or $TS_MODELS_DIR) and checks every file
// against models.sha256, the manifest kept in the repo. Weights are data, never committed.
// Also copies tfjs' wasm binaries into public/tfjs-wasm/ so the app serves them itself.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const source = resolve(process.env.TS_MODELS_DIR ?? join(root, '..', 'shared', 'models'));
const target = join(root, 'public', 'models');
const manifest = readFileSync(join(root, 'models.sha256'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter(Boolean)
  .map((line) => {
    const [sum, file] = line.split(/\s+/);
    return { sum, file };
  });

const sha256 = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');

function fail(message) {
  console.error(`\n[models] ${message}\n`);
  process.exit(1);
}

let copied = 0;
for (const { sum, file } of manifest) {
  const dest = join(target, file);
  if (existsSync(dest) && sha256(dest) === sum) continue;
  const src = join(source, file);
  if (!existsSync(src)) {
    fail(
      `Missing backbone weights: ${src}\n` +
        `The app serves its MobileNet weights from its own origin (public/models/<id>/).\n` +
        `Put the folder of pretrained backbones (see MODELS.md: Google's MobileNet weights, Apache-2.0,\n` +
        `rebuilt from google-coral/test_data, tangmingsh/ml5featureExtractormodel, Teachable Machine's\n` +
        `image exports and the TF-Hub mobilenet_v1_025_224 graph model) at ../shared/models, or point\n` +
        `TS_MODELS_DIR at it, so that ${target} can be filled. Expected files: see models.sha256.`,
    );
  }
  const got = sha256(src);
  if (got !== sum) fail(`Checksum mismatch for ${src}: expected ${sum}, found ${got}. Refusing to serve it.`);
  mkdirSync(dirname(dest), { recursive: true });
  copyFileSync(src, dest);
  copied += 1;
}

// tfjs wasm backend binaries, served from our own origin.
const wasmSrc = join(root, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
const wasmDest = join(root, 'public', 'tfjs-wasm');
if (existsSync(wasmSrc)) {
  mkdirSync(wasmDest, { recursive: true });
  for (const name of readdirSync(wasmSrc)) {
    if (!name.endsWith('.wasm')) continue;
    const dest = join(wasmDest, name);
    if (!existsSync(dest) || statSync(dest).size !== statSync(join(wasmSrc, name)).size) {
      copyFileSync(join(wasmSrc, name), dest);
    }
  }
}

console.log(`[models] ${manifest.length} files verified in public/models (${copied} copied).`);
