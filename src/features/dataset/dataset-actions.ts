import { engine } from '../../app/engine';
import { toErrorInfo } from '../../lib/errors';
import { inspectImageFile } from '../../platform/file-sniff';
import type { PathedFile } from '../../platform/folder-walk';
import { INITIAL_TRAINING_STATE, useTrainingStore } from '../../store/training-store';
import { useProjectStore, type ClassInfo, type ImageInfo, type SkippedInfo } from '../../store/project-store';
import { findDuplicates, planClassImport, planDatasetImport, type PlannedFile } from './import-plan';
import * as repo from './project-repo';

/** Images decoded at once: enough to overlap decoding, few enough to bound memory. */
const IMPORT_CONCURRENCY = 4;
/** Images written to IndexedDB per transaction. */
const FLUSH_EVERY = 24;

const set = useProjectStore.setState;
const get = useProjectStore.getState;

function newId(): string {
  return `c${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

function reportStorage(error: unknown): void {
  set({ storageError: toErrorInfo(error) });
}

function refreshDuplicates(): void {
  const groups = findDuplicates(get().images.map((im) => ({ hash: im.hash, classId: im.classId, path: im.path })));
  set({
    duplicates: groups.map((g) => ({
      hash: g.hash,
      paths: g.items.map((i) => i.path),
      classIds: g.items.map((i) => i.classId),
      crossClass: g.crossClass,
    })),
  });
}

/** Loads the stored project (on start-up and after a reload). */
export async function loadProject(): Promise<void> {
  try {
    const { classes, images } = await repo.loadAll();
    set({ classes, images, loaded: true });
    refreshDuplicates();
  } catch (error) {
    set({ loaded: true });
    reportStorage(error);
  }
}

/** Adds an empty class with a fresh name ("Class 3"). */
export async function addClass(name?: string): Promise<ClassInfo> {
  const { classes } = get();
  let n = classes.length + 1;
  while (!name && classes.some((c) => c.name === `Class ${n}`)) n++;
  const info: ClassInfo = { id: newId(), name: name ?? `Class ${n}`, order: (classes.at(-1)?.order ?? 0) + 1 };
  set({ classes: [...classes, info] });
  await repo.saveClass(info).catch(reportStorage);
  return info;
}

/** Renames a class (names are user text, shown escaped). */
export async function renameClass(id: string, name: string): Promise<void> {
  const trimmed = name.trim();
  const current = get().classes.find((c) => c.id === id);
  if (!current || !trimmed || trimmed === current.name) return;
  const info = { ...current, name: trimmed };
  set({ classes: get().classes.map((c) => (c.id === id ? info : c)) });
  await repo.saveClass(info).catch(reportStorage);
}

/** Deletes a class and its images. */
export async function deleteClass(id: string): Promise<void> {
  set({ classes: get().classes.filter((c) => c.id !== id), images: get().images.filter((im) => im.classId !== id) });
  refreshDuplicates();
  await repo.deleteClass(id).catch(reportStorage);
}

/** Moves every image of `fromId` into `intoId`, then deletes `fromId`. */
export async function mergeClasses(fromId: string, intoId: string): Promise<void> {
  if (fromId === intoId) return;
  const moving = get().images.filter((im) => im.classId === fromId);
  for (const im of moving) await moveImage(im.id, intoId);
  await deleteClass(fromId);
}

/** Removes one image from its class. */
export async function removeImage(imageId: string): Promise<void> {
  set({ images: get().images.filter((im) => im.id !== imageId) });
  refreshDuplicates();
  await repo.deleteImage(imageId).catch(reportStorage);
}

/** Moves an image to another class (fixing a label). */
export async function moveImage(imageId: string, toClassId: string): Promise<void> {
  const image = get().images.find((im) => im.id === imageId);
  if (!image || image.classId === toClassId) return;
  const moved: ImageInfo = { ...image, classId: toClassId, id: `${toClassId}:${image.hash}` };
  const exists = get().images.some((im) => im.id === moved.id);
  set({ images: get().images.filter((im) => im.id !== imageId).concat(exists ? [] : [moved]) });
  refreshDuplicates();
  await repo.moveImage(imageId, toClassId).catch(reportStorage);
}

/** Clears the whole project (after the UI asked for confirmation). */
export async function newProject(): Promise<void> {
  set({ classes: [], images: [], skipped: [], duplicates: [], storageError: null });
  useTrainingStore.setState({ ...INITIAL_TRAINING_STATE, settings: useTrainingStore.getState().settings });
  await repo.clear().catch(reportStorage);
}

async function classIdFor(name: string): Promise<string> {
  const existing = get().classes.find((c) => c.name === name);
  return existing ? existing.id : (await addClass(name)).id;
}

/** Imports a drop or a folder pick: each subfolder (or each dropped folder) becomes a class. */
export function importDataset(files: readonly PathedFile[]): Promise<void> {
  return runImport(planDatasetImport(files));
}

/** Imports files into one existing class (dropped on, or picked for, its card). */
export function importIntoClass(classId: string, files: readonly PathedFile[]): Promise<void> {
  const name = get().classes.find((c) => c.id === classId)?.name;
  if (!name) return Promise.resolve();
  return runImport(planClassImport(files, name));
}

async function runImport(plan: { planned: PlannedFile[]; skipped: SkippedInfo[] }): Promise<void> {
  const skipped: SkippedInfo[] = [...plan.skipped];
  const total = plan.planned.length;
  set({ importing: { done: 0, total }, skipped });
  const api = await engine();
  const pending: repo.ImageToStore[] = [];
  let done = 0;

  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending.splice(0, pending.length);
    set({ images: [...get().images, ...batch.map((b) => b.image)] });
    await repo.putImages(batch).catch(reportStorage);
  };

  const importOne = async (item: PlannedFile) => {
    const check = await inspectImageFile(item.file, item.file.name);
    if (!check.ok) {
      skipped.push({ path: item.path, reason: check.reason, detail: check.detail });
      return;
    }
    try {
      const classId = await classIdFor(item.className);
      const prepared = await api.prepareImage(item.file);
      const id = `${classId}:${prepared.hash}`;
      if (get().images.some((im) => im.id === id) || pending.some((p) => p.image.id === id)) {
        skipped.push({ path: item.path, reason: 'duplicate', detail: 'The same photo is already in this class.' });
        return;
      }
      pending.push({ image: { id, hash: prepared.hash, classId, path: item.path, name: item.file.name }, jpeg: prepared.jpeg, width: prepared.width, height: prepared.height });
    } catch (error) {
      const info = toErrorInfo(error);
      const reason = info.code === 'too-large' ? 'too-large' : info.code === 'empty-file' ? 'empty' : 'corrupt';
      skipped.push({ path: item.path, reason, detail: info.message });
    }
  };

  // Create classes in folder order first, so they appear in the order of the folders.
  for (const name of new Set(plan.planned.map((p) => p.className))) await classIdFor(name);

  let cursor = 0;
  const lane = async () => {
    for (let item = plan.planned[cursor++]; item; item = plan.planned[cursor++]) {
      await importOne(item);
      done++;
      if (pending.length >= FLUSH_EVERY) await flush();
      if (done % 8 === 0 || done === total) set({ importing: { done, total }, skipped: [...skipped] });
    }
  };
  try {
    await Promise.all(Array.from({ length: IMPORT_CONCURRENCY }, lane));
    await flush();
  } catch (error) {
    reportStorage(error);
  } finally {
    set({ importing: null, skipped: [...skipped] });
    refreshDuplicates();
  }
}
