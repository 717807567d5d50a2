import { isSystemFileName, type SkipReason } from '../../platform/file-sniff';
import type { PathedFile } from '../../platform/folder-walk';
import { normalizeClassName } from '../../lib/class-name';

/** A file to import, with the class it goes to. */
export interface PlannedFile {
  file: File;
  path: string;
  className: string;
}

/** A file left out of an import, and why; or (`merged-folders`, path = the class) folders whose names became one class. */
export interface SkippedFile {
  path: string;
  reason: SkipReason | 'merged-folders';
  detail: string;
}

/** Which file goes to which class, and which files are skipped before any of them is read. */
export interface ImportPlan {
  planned: PlannedFile[];
  skipped: SkippedFile[];
}

/** A set of images with the same content hash. */
export interface DuplicateGroup {
  hash: string;
  items: { path: string; classId: string }[];
  crossClass: boolean;
}

/** Path segments without empty or "." parts ("./a//b.jpg" -> ["a", "b.jpg"]). */
function segmentsOf(path: string): string[] {
  return path.split('/').filter((s) => s !== '' && s !== '.');
}

/** macOS resource forks and zip leftovers (`__MACOSX/`), hidden folders (`.git/`, `.Trashes/`) and OS files. */
function systemDetail(segments: readonly string[]): string | null {
  const name = segments.at(-1) ?? '';
  if (isSystemFileName(name)) return `${name} is a system file`;
  const folder = segments.slice(0, -1).find((s) => s === '__MACOSX' || s.startsWith('.'));
  return folder === undefined ? null : `It is inside the system folder ${folder}`;
}

interface Candidate {
  item: PathedFile;
  segments: string[];
}

/** Splits off system files; the rest keep their path segments. */
function triage(files: readonly PathedFile[]): { candidates: Candidate[]; skipped: SkippedFile[] } {
  const candidates: Candidate[] = [];
  const skipped: SkippedFile[] = [];
  for (const item of files) {
    const segments = segmentsOf(item.path);
    const detail = systemDetail(segments);
    if (detail !== null) skipped.push({ path: item.path, reason: 'system-file', detail });
    else candidates.push({ item, segments });
  }
  return { candidates, skipped };
}

/** True when everything lies in one top folder that has subfolders: that folder is the dataset's parent. */
function isParentLayout(candidates: readonly Candidate[]): boolean {
  const first = candidates[0]?.segments[0];
  if (first === undefined) return false;
  const sameTop = candidates.every((c) => c.segments.length >= 2 && c.segments[0] === first);
  return sameTop && candidates.some((c) => c.segments.length >= 3);
}

/**
 * Plans a dataset import, Keras `flow_from_directory` style. One parent folder with subfolders:
 * each subfolder is a class (deeper files join their top subfolder's class). Otherwise each
 * top-level folder is a class. Loose files and system files are skipped. Class names are the
 * folder names normalised (`normalizeClassName`: one line, single spaces); folders that give the
 * same name go to one class, and a `merged-folders` entry in `skipped` names them.
 */
export function planDatasetImport(files: readonly PathedFile[]): ImportPlan {
  const { candidates, skipped } = triage(files);
  const depth = isParentLayout(candidates) ? 1 : 0;
  const planned: PlannedFile[] = [];
  const foldersOf = new Map<string, Set<string>>();
  for (const { item, segments } of candidates) {
    if (segments.length < depth + 2) {
      const where = depth === 1 ? `It lies directly in ${segments[0] ?? ''}, not in a class subfolder` : 'It is not inside any folder';
      skipped.push({ path: item.path, reason: 'no-class-folder', detail: where });
      continue;
    }
    const folder = segments[depth] ?? '';
    const className = normalizeClassName(folder);
    if (className === '') {
      skipped.push({ path: item.path, reason: 'no-class-folder', detail: 'Its folder name is blank' });
      continue;
    }
    planned.push({ file: item.file, path: item.path, className });
    const folders = foldersOf.get(className);
    if (folders) folders.add(folder);
    else foldersOf.set(className, new Set([folder]));
  }
  const parent = depth === 1 ? `${candidates[0]?.segments[0] ?? ''}/` : '';
  for (const [className, folders] of foldersOf) {
    if (folders.size > 1) skipped.push({ path: `${parent}${className}`, reason: 'merged-folders', detail: mergedDetail(className, [...folders]) });
  }
  return { planned, skipped };
}

/** `Folders "cat" and "cat " both …`: names JSON-quoted, so spaces and line breaks show. */
function mergedDetail(className: string, folders: readonly string[]): string {
  const quoted = folders.map((f) => JSON.stringify(f));
  const list = `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1) ?? ''}`;
  return `Folders ${list} ${folders.length === 2 ? 'both' : 'all'} become the class ${JSON.stringify(className)} once spaces, tabs and line breaks in their names are tidied, so their photos were put together in that one class. Rename a folder and import it again to keep them apart.`;
}

/**
 * Plans an import into one class (files dropped on, or picked for, a class card); only system files are skipped.
 * `className` is an existing class's name, used as the key `importIntoClass` maps to the class, so it is only trimmed.
 */
export function planClassImport(files: readonly PathedFile[], className: string): ImportPlan {
  const { candidates, skipped } = triage(files);
  const name = className.trim();
  return { planned: candidates.map(({ item }) => ({ file: item.file, path: item.path, className: name })), skipped };
}

/** Groups images that share a content hash (two or more), in order of first appearance; `crossClass` when the group spans classes. */
export function findDuplicates(items: readonly { hash: string; classId: string; path: string }[]): DuplicateGroup[] {
  const byHash = new Map<string, { path: string; classId: string }[]>();
  for (const { hash, classId, path } of items) {
    const group = byHash.get(hash);
    if (group) group.push({ path, classId });
    else byHash.set(hash, [{ path, classId }]);
  }
  const groups: DuplicateGroup[] = [];
  for (const [hash, group] of byHash) {
    if (group.length < 2) continue;
    groups.push({ hash, items: group, crossClass: new Set(group.map((g) => g.classId)).size > 1 });
  }
  return groups;
}
