/** Small checks for untrusted JSON: each returns the typed value or throws ProjectFileError naming the field. */

/** A project file that cannot be opened; the message says what is wrong, in plain words. */
export class ProjectFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProjectFileError';
  }
}

/** Throws a ProjectFileError. */
export function reject(message: string): never {
  throw new ProjectFileError(message);
}

/** A JSON object (not null, not an array). */
export function obj(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) reject(`${what} must be an object`);
  return v as Record<string, unknown>;
}

/** A list of at most `max` items. */
export function list(v: unknown, what: string, max: number): unknown[] {
  if (!Array.isArray(v)) reject(`${what} must be a list`);
  if (v.length > max) reject(`${what} has ${v.length} items; at most ${max} are allowed`);
  return v;
}

/** A text of at most `max` characters (`min` at least). */
export function text(v: unknown, what: string, max: number, min = 0): string {
  if (typeof v !== 'string') reject(`${what} must be text`);
  if (v.length > max || v.length < min) reject(`${what} must be ${min} to ${max} characters long`);
  return v;
}

/** A finite number in [min, max]. */
export function num(v: unknown, what: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) reject(`${what} must be a number from ${min} to ${max}`);
  return v;
}

/** A whole number in [min, max]. */
export function int(v: unknown, what: string, min: number, max: number): number {
  const n = num(v, what, min, max);
  if (!Number.isInteger(n)) reject(`${what} must be a whole number`);
  return n;
}

/** A number in [min, max], or null. */
export function numOrNull(v: unknown, what: string, min: number, max: number): number | null {
  return v === null ? null : num(v, what, min, max);
}

/** true or false. */
export function bool(v: unknown, what: string): boolean {
  if (typeof v !== 'boolean') reject(`${what} must be true or false`);
  return v;
}
