import { baseName, looksLikeZip, readZip } from './zip-read';

/** A model as picked by a person: model.json text, the weight bytes, and metadata.json text if any. */
export interface ModelBundle {
  modelJson: string;
  weights: ArrayBuffer;
  metadataJson: string | null;
  /** Shown to the person ("transfer-studio-model.zip", "model.json + weights.bin"). */
  label: string;
}

/** Largest model.json / metadata.json read. */
const MAX_JSON_BYTES = 32 * 1024 * 1024;
/** Largest weight bytes read (the engine checks them against model.json again). */
const MAX_WEIGHT_BYTES = 256 * 1024 * 1024;
const EXPECTED = 'model.json and weights.bin (and metadata.json), or the .zip the app downloads';

const decoder = new TextDecoder();

/** The weight file names model.json lists, or null when it cannot be read (the engine then says why). */
function manifestPaths(modelJson: string): string[] | null {
  try {
    const json = JSON.parse(modelJson) as { weightsManifest?: { paths?: unknown }[] };
    const paths = (json.weightsManifest ?? []).flatMap((g) => (Array.isArray(g.paths) ? g.paths : []));
    return paths.length > 0 && paths.every((p): p is string => typeof p === 'string') ? paths : null;
  } catch {
    return null;
  }
}

function concat(parts: Uint8Array[]): ArrayBuffer {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out.buffer;
}

/** Builds the bundle from named byte arrays (the zip's entries or the picked files). */
function fromEntries(entries: Map<string, Uint8Array>, label: string): ModelBundle {
  const names = [...entries.keys()];
  const found = names.length ? names.map((n) => n.slice(0, 60)).join(', ') : 'no files';
  const jsonNames = names.filter((n) => n.toLowerCase().endsWith('.json') && n !== 'metadata.json');
  const modelName = entries.has('model.json') ? 'model.json' : jsonNames.length === 1 ? jsonNames[0] : undefined;
  const modelBytes = modelName ? entries.get(modelName) : undefined;
  if (!modelBytes) throw new Error(`No model.json found. Expected ${EXPECTED}; found ${found}.`);
  const modelJson = decoder.decode(modelBytes);
  const bins = names.filter((n) => n.toLowerCase().endsWith('.bin'));
  const paths = manifestPaths(modelJson) ?? (bins.length === 1 ? bins : ['weights.bin']);
  const parts = paths.map((p) => {
    const part = entries.get(baseName(p));
    if (!part) throw new Error(`model.json needs the weights file ${baseName(p).slice(0, 80)}, which is not there. Expected ${EXPECTED}; found ${found}.`);
    return part;
  });
  const metadata = entries.get('metadata.json');
  return { modelJson, weights: concat(parts), metadataJson: metadata ? decoder.decode(metadata) : null, label };
}

function wanted(name: string): boolean {
  const base = baseName(name).toLowerCase();
  return !name.endsWith('/') && !name.startsWith('__MACOSX/') && (base.endsWith('.json') || base.endsWith('.bin'));
}

/** Reads the picked files: one .zip, or model.json + weights.bin (+ metadata.json). Throws with a plain message. */
export async function readModelBundle(files: readonly File[]): Promise<ModelBundle> {
  if (files.length === 0) throw new Error(`No file picked. Expected ${EXPECTED}.`);
  const first = files[0];
  const head = first ? new Uint8Array(await first.slice(0, 4).arrayBuffer()) : new Uint8Array(0);
  if (first && files.length === 1 && (first.name.toLowerCase().endsWith('.zip') || looksLikeZip(head))) {
    if (first.size > MAX_WEIGHT_BYTES + MAX_JSON_BYTES) throw new Error(`${first.name} is ${first.size} bytes, more than the app opens (${MAX_WEIGHT_BYTES} bytes).`);
    const unzipped = readZip(new Uint8Array(await first.arrayBuffer()), wanted, { maxEntryBytes: MAX_WEIGHT_BYTES, maxTotalBytes: MAX_WEIGHT_BYTES + MAX_JSON_BYTES, maxEntries: 64 }, EXPECTED);
    return fromEntries(new Map(Object.entries(unzipped).map(([name, bytes]) => [baseName(name), bytes])), first.name);
  }
  const entries = new Map<string, Uint8Array>();
  for (const f of files) {
    const isJson = f.name.toLowerCase().endsWith('.json');
    const limit = isJson ? MAX_JSON_BYTES : MAX_WEIGHT_BYTES;
    if (f.size > limit) throw new Error(`${f.name} is ${f.size} bytes, more than the app opens (${limit} bytes).`);
    entries.set(f.name, new Uint8Array(await f.arrayBuffer()));
  }
  return fromEntries(entries, files.map((f) => f.name).join(' + '));
}
