import { normalizeClassName } from '../../lib/class-name';
import type { PathedFile } from '../../platform/folder-walk';
import { imageId } from '../../platform/project-db';
import { INITIAL_TRAINING_STATE, useTrainingStore } from '../../store/training-store';
import type { ClassInfo, ImageInfo } from '../../store/project-store';
import { planClassImport, planDatasetImport } from './import-plan';
import { runImport, type ImportOptions } from './import-run';
import * as repo from './project-repo';
import { get, refreshDuplicates, reportError, set } from './project-sync';

function newId(): string {
  return `c${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

/** The start-up load; changes wait for it, so a drop during start-up is not overwritten by the stored project. */
let projectLoad: Promise<void> = Promise.resolve();

/** Loads the stored project (on start-up and after a reload). */
export function loadProject(): Promise<void> {
  projectLoad = (async () => {
    try {
      const { classes, images } = await repo.loadAll();
      set({ classes, images, loaded: true });
      refreshDuplicates();
    } catch (error) {
      set({ loaded: true });
      reportError(error);
    }
  })();
  return projectLoad;
}

/** Adds an empty class with a fresh name ("Class 3"). */
export async function addClass(name?: string): Promise<ClassInfo> {
  await projectLoad;
  const { classes } = get();
  let n = classes.length + 1;
  while (!name && classes.some((c) => c.name === `Class ${n}`)) n++;
  const info: ClassInfo = { id: newId(), name: name ?? `Class ${n}`, order: (classes.at(-1)?.order ?? 0) + 1 };
  set({ classes: [...classes, info] });
  await repo.saveClass(info).catch(reportError);
  return info;
}

/** Renames a class (names are user text, shown escaped, normalised to one line); false when another class already has the name. */
export async function renameClass(id: string, name: string): Promise<boolean> {
  const trimmed = normalizeClassName(name);
  const current = get().classes.find((c) => c.id === id);
  if (!current || !trimmed || trimmed === current.name) return true;
  if (get().classes.some((c) => c.id !== id && c.name === trimmed)) return false;
  const info = { ...current, name: trimmed };
  set({ classes: get().classes.map((c) => (c.id === id ? info : c)) });
  await repo.saveClass(info).catch(reportError);
  return true;
}

/** Deletes a class and its images. */
export async function deleteClass(id: string): Promise<void> {
  set({ classes: get().classes.filter((c) => c.id !== id), images: get().images.filter((im) => im.classId !== id) });
  refreshDuplicates();
  await repo.deleteClass(id).catch(reportError);
}

/** Moves every image of `fromId` into `intoId`, then deletes `fromId`. */
export async function mergeClasses(fromId: string, intoId: string): Promise<void> {
  if (fromId === intoId) return;
  const moving = get().images.filter((im) => im.classId === fromId);
  for (const im of moving) await moveImage(im.id, intoId);
  await deleteClass(fromId);
}

/** Removes one image from its class. */
export async function removeImage(id: string): Promise<void> {
  set({ images: get().images.filter((im) => im.id !== id) });
  refreshDuplicates();
  await repo.deleteImage(id).catch(reportError);
}

/** Moves an image to another class (fixing a label). */
export async function moveImage(id: string, toClassId: string): Promise<void> {
  const image = get().images.find((im) => im.id === id);
  if (!image || image.classId === toClassId) return;
  const moved: ImageInfo = { ...image, classId: toClassId, id: imageId(toClassId, image.hash) };
  const exists = get().images.some((im) => im.id === moved.id);
  set({ images: get().images.filter((im) => im.id !== id).concat(exists ? [] : [moved]) });
  refreshDuplicates();
  await repo.moveImage(id, toClassId).catch(reportError);
}

/** Clears the whole project (after the UI asked for confirmation). */
export async function newProject(): Promise<void> {
  set({ classes: [], images: [], skipped: [], duplicates: [], storageError: null });
  useTrainingStore.setState({ ...INITIAL_TRAINING_STATE, settings: useTrainingStore.getState().settings });
  await repo.clear().catch(reportError);
}

/** Imports a drop or a folder pick: each subfolder (or each dropped folder) becomes a class, created in folder order. */
export async function importDataset(files: readonly PathedFile[]): Promise<void> {
  await projectLoad;
  const plan = planDatasetImport(files);
  const classIds = new Map<string, string>();
  const created: ClassInfo[] = [];
  let order = get().classes.at(-1)?.order ?? 0;
  for (const name of new Set(plan.planned.map((p) => p.className))) {
    const existing = get().classes.find((c) => c.name === name);
    const info = existing ?? { id: newId(), name, order: ++order };
    if (!existing) created.push(info);
    classIds.set(name, info.id);
  }
  // All new classes in one update (200 classes: one render, not 200).
  if (created.length) {
    set({ classes: [...get().classes, ...created] });
    await Promise.all(created.map((c) => repo.saveClass(c))).catch(reportError);
  }
  await runImport(plan, classIds);
}

/** Imports files into one existing class (dropped on, or picked for, its card, or recorded from the camera). */
export function importIntoClass(classId: string, files: readonly PathedFile[], options?: ImportOptions): Promise<void> {
  const name = get().classes.find((c) => c.id === classId)?.name;
  if (name === undefined) return Promise.resolve();
  const plan = planClassImport(files, name);
  return runImport(plan, new Map([[name.trim(), classId]]), options);
}

/** Hides the list of skipped files. */
export function clearSkipped(): void {
  set({ skipped: [] });
}
