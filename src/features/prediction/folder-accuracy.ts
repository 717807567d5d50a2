/** The class a photo's folder names it as: the deepest folder in its path equal to a class name. */
export function expectedClass(path: string, classNames: readonly string[]): string | null {
  const folders = path.split('/').slice(0, -1).reverse();
  return folders.find((f) => classNames.includes(f)) ?? null;
}

/**
 * Accuracy over photos whose folders are named after classes (e.g. a held-out `test/cats/…`
 * folder): `labelled` photos had such a folder, `correct` of them got that class as top label.
 */
export function folderAccuracy(
  rows: readonly { path: string; label: string | null }[],
  classNames: readonly string[],
): { labelled: number; correct: number; accuracy: number | null } {
  let labelled = 0;
  let correct = 0;
  for (const r of rows) {
    const expected = expectedClass(r.path, classNames);
    if (expected === null || r.label === null) continue;
    labelled++;
    if (expected === r.label) correct++;
  }
  return { labelled, correct, accuracy: labelled ? correct / labelled : null };
}
