import { normalizeClassName } from '../../lib/class-name';

/**
 * labels.txt: exactly one line per model output, in output order, newline-terminated. Names are
 * normalised to one line (a name from an old project or a project file may still hold a line
 * break or tab, which would shift every later line); a name left blank becomes `class <n>`.
 */
export function labelsTxt(classNames: readonly string[]): string {
  return classNames.map((name, i) => normalizeClassName(name) || `class ${i + 1}`).join('\n') + '\n';
}
