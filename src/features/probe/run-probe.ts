import { engine } from '../../engine/connection';
import { toErrorInfo } from '../../lib/errors';
import type { PathedFile } from '../../platform/folder-walk';
import { useProbeStore, type ProbeItem } from './probe-store';

let nextId = 1;
const MAX_ITEMS = 24;

function update(id: number, patch: Partial<ProbeItem>): void {
  useProbeStore.setState((s) => ({ items: s.items.map((it) => (it.id === id ? { ...it, ...patch } : it)) }));
}

/** Sends photos through the engine one by one, updating the probe list as each finishes. */
export async function probeFiles(files: readonly PathedFile[]): Promise<void> {
  const added: ProbeItem[] = files.map(({ file, path }) => ({
    id: nextId++,
    path,
    previewUrl: URL.createObjectURL(file),
    status: 'pending',
  }));
  useProbeStore.setState((s) => {
    const items = [...added.slice().reverse(), ...s.items];
    items.slice(MAX_ITEMS).forEach((it) => URL.revokeObjectURL(it.previewUrl));
    return { items: items.slice(0, MAX_ITEMS) };
  });
  const api = await engine();
  for (const [i, { file }] of files.entries()) {
    const item = added[i];
    if (!item) continue;
    try {
      const r = await api.probe(file, 5);
      const norm = Math.hypot(...r.embedding);
      update(item.id, {
        status: 'done',
        embeddingSize: r.embedding.length,
        embeddingNorm: norm,
        decodeMs: r.decodeMs,
        embedMs: r.embedMs,
        imagenet: r.imagenet,
      });
    } catch (error) {
      update(item.id, { status: 'error', error: toErrorInfo(error) });
    }
  }
}
