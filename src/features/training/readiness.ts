import { imagesByClass, type ClassInfo, type ImageInfo } from '../../store/project-store';

/** Photos per class we recommend before training. */
export const RECOMMENDED_PER_CLASS = 5;

/** Whether training can start, and if not, what to do (a sentence for the UI). */
export function trainingReadiness(
  classes: readonly ClassInfo[],
  images: readonly ImageInfo[],
): { ready: true; warning: string | null } | { ready: false; reason: string } {
  const byClass = imagesByClass(images);
  const counts = classes.map((c) => ({ c, n: byClass.get(c.id)?.length ?? 0 }));
  const nonEmpty = counts.filter((x) => x.n > 0);
  if (nonEmpty.length < 2) {
    return { ready: false, reason: `Add at least 2 classes with photos (you have ${nonEmpty.length}). ${RECOMMENDED_PER_CLASS}+ photos each works best.` };
  }
  const small = nonEmpty.filter((x) => x.n < RECOMMENDED_PER_CLASS).map((x) => x.c.name);
  const empty = counts.filter((x) => x.n === 0).map((x) => x.c.name);
  const parts = [
    small.length ? `Few photos in ${someNames(small)}: ${RECOMMENDED_PER_CLASS}+ per class gives a more reliable model.` : '',
    empty.length ? `Empty classes are left out: ${someNames(empty)}.` : '',
  ].filter(Boolean);
  return { ready: true, warning: parts.length ? parts.join(' ') : null };
}

/** Up to 5 names, then how many more ("a, b, c, d, e and 195 more"). */
export function someNames(names: readonly string[], shown = 5): string {
  return names.length <= shown ? names.join(', ') : `${names.slice(0, shown).join(', ')} and ${names.length - shown} more`;
}
