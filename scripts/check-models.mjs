#!/usr/bin/env node
// Checks the pretrained backbones committed under public/models/<id>/ against models.sha256
// (a file that does not match is refused: the app would serve wrong weights), and copies tfjs'
// wasm binaries from node_modules into public/tfjs-wasm/ so the app serves them itself.
// Needs nothing outside the repository. To replace the weights, put the new files in
// public/models/ (or point TS_MODELS_DIR at a folder of them: they are copied first) and update
// models.sha256 and docs/models.md in the same commit.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readManifest } from './models-manifest.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'public', 'models');
const manifest = readManifest(root);
const sha256 = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');

function fail(message) {
  console.error(`\n[models] ${message}\n`);
  process.exit(1);
}

const from = process.env.TS_MODELS_DIR ? resolve(process.env.TS_MODELS_DIR) : null;
for (const { sum, file } of manifest) {
  const dest = join(target, file);
  if (from && existsSync(join(from, file)) && (!existsSync(dest) || sha256(dest) !== sum)) {
    mkdirSync(dirname(dest), { recursive: true });
    copyFileSync(join(from, file), dest);
  }
  if (!existsSync(dest)) {
    fail(`Missing ${dest}. The backbones are committed in public/models/ (see docs/models.md); restore them with \`git checkout -- public/models\`.`);
  }
  const got = sha256(dest);
  if (got !== sum) {
    fail(`Checksum mismatch for ${dest}: models.sha256 expects ${sum}, the file is ${got}. Refusing to serve it; \`git checkout -- public/models\` restores the committed weights.`);
  }
}

// tfjs wasm backend binaries, served from our own origin.
const wasmSrc = join(root, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
const wasmDest = join(root, 'public', 'tfjs-wasm');
if (existsSync(wasmSrc)) {
  mkdirSync(wasmDest, { recursive: true });
  for (const name of readdirSync(wasmSrc)) {
    if (!name.endsWith('.wasm')) continue;
    const src = join(wasmSrc, name);
    const dest = join(wasmDest, name);
    if (!existsSync(dest) || sha256(dest) !== sha256(src)) copyFileSync(src, dest);
  }
}

// LiteRT.js (the embed step's runtime on the CPU): its glue and wasm, the threaded build (used in a
// cross-origin isolated page), the relaxed-SIMD single-thread build and the plain-SIMD one for
// browsers without relaxed SIMD (the JSPI build is not used).
const liteRtSrc = join(root, 'node_modules', '@litertjs', 'core', 'wasm');
const liteRtDest = join(root, 'public', 'litert');
if (existsSync(liteRtSrc)) {
  mkdirSync(liteRtDest, { recursive: true });
  for (const build of ['litert_wasm_threaded_internal', 'litert_wasm_internal', 'litert_wasm_compat_internal']) {
    for (const name of [`${build}.js`, `${build}.wasm`]) {
      const src = join(liteRtSrc, name);
      const dest = join(liteRtDest, name);
      if (!existsSync(dest) || sha256(dest) !== sha256(src)) copyFileSync(src, dest);
    }
  }
}

console.log(`[models] ${manifest.length} weight files in public/models match models.sha256.`);
