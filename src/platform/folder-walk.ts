/** A file with its path relative to what was dropped or picked ("dataset/cats/a.jpg"). */
export interface PathedFile {
  file: File;
  path: string;
}

/** Reads every entry of a directory: readEntries returns at most ~100 per call, so loop. */
async function readAllEntries(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** Files whose `File` objects are requested at once while walking: each request is a round trip to the browser process. */
const FILE_REQUESTS_IN_FLIGHT = 32;

/** Maps `items` through `fn` with at most `limit` calls in flight; results keep the input order. */
async function mapLimited<I, O>(items: readonly I[], limit: number, fn: (item: I) => Promise<O>): Promise<O[]> {
  const out: O[] = new Array<O>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i] as I);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

/** Walks a dropped entry depth-first, collecting files with their relative paths (sorted by name in each folder). */
export async function walkEntry(entry: FileSystemEntry, prefix = ''): Promise<PathedFile[]> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) return [{ file: await fileOf(entry as FileSystemFileEntry), path }];
  if (!entry.isDirectory) return [];
  const children = await readAllEntries(entry as FileSystemDirectoryEntry);
  children.sort((a, b) => a.name.localeCompare(b.name));
  // Files of one folder are fetched concurrently (a 2,000-photo folder took seconds one by one); subfolders in turn.
  const nested = await mapLimited(children, FILE_REQUESTS_IN_FLIGHT, (child) => (child.isDirectory ? Promise.resolve(null) : walkEntry(child, path)));
  const out: PathedFile[] = [];
  for (const [i, child] of children.entries()) {
    // Not push(...files): a folder of ~150,000+ files overflows the call stack as spread arguments.
    for (const file of nested[i] ?? (await walkEntry(child, path))) out.push(file);
  }
  return out;
}

/** Files of a drop event, walking dropped folders; falls back to plain files when entries are unavailable. */
export async function filesFromDataTransfer(data: DataTransfer): Promise<PathedFile[]> {
  // Entries must be taken synchronously, before the first await: the list empties after the event.
  const entries = Array.from(data.items)
    .map((item) => (item.kind === 'file' ? item.webkitGetAsEntry() : null))
    .filter((e): e is FileSystemEntry => e !== null);
  const plain = Array.from(data.files);
  if (entries.length === 0) return plain.map((file) => ({ file, path: file.name }));
  const out: PathedFile[] = [];
  for (const entry of entries) for (const file of await walkEntry(entry)) out.push(file);
  return out;
}

/** Files of an `<input type=file>` (with `webkitRelativePath` when it is a folder picker). */
export function filesFromInput(list: FileList | null): PathedFile[] {
  return Array.from(list ?? []).map((file) => ({ file, path: file.webkitRelativePath || file.name }));
}
