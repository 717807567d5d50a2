/** What an opened model's metadata.json tells the app: class names and how to scale pixels. */
export interface OpenedMetadata {
  /** Class names in output order; null without metadata.json (then "Class 1".."Class N"). */
  labels: string[] | null;
  /** What RGB [0, 255] maps to before the model sees it. */
  inputRange: [number, number];
  /** Where the model comes from, for the person. */
  origin: 'transfer-studio' | 'teachable-machine' | 'no-metadata';
  /** A note to show (e.g. why class names are generic). */
  note: string | null;
}

/** Teachable Machine scales pixels by x / 127 - 1 (its capture()), i.e. [0, 255] -> [-1, 255/127 - 1]. */
export const TEACHABLE_MACHINE_RANGE: [number, number] = [-1, 255 / 127 - 1];

const MAX_LABEL_LENGTH = 200;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function rangeOf(meta: Record<string, unknown>): [number, number] | null {
  const ts = meta.transferStudio;
  const range = isObject(ts) && isObject(ts.input) ? ts.input.range : undefined;
  if (!Array.isArray(range) || range.length !== 2) return null;
  const [lo, hi] = range as unknown[];
  if (typeof lo !== 'number' || typeof hi !== 'number' || !(lo < hi) || Math.abs(lo) > 1000 || Math.abs(hi) > 1000) return null;
  return [lo, hi];
}

/** "Class 1".."Class N". */
export function genericLabels(numClasses: number): string[] {
  return Array.from({ length: numClasses }, (_, i) => `Class ${i + 1}`);
}

/**
 * Reads metadata.json text. Labels must be a list of texts (only ever shown as text; the engine
 * checks their count against the model's outputs). Without metadata the classes are numbered and
 * pixels are scaled like Teachable Machine. Throws with a plain message.
 */
export function readOpenedMetadata(text: string | null): OpenedMetadata {
  if (text === null) {
    return { labels: null, inputRange: TEACHABLE_MACHINE_RANGE, origin: 'no-metadata', note: 'No metadata.json, so the classes are numbered; pixels are scaled like Teachable Machine (x / 127 - 1).' };
  }
  let meta: unknown;
  try {
    meta = JSON.parse(text);
  } catch (error) {
    throw new Error(`metadata.json is not valid JSON (${(error as Error).message.slice(0, 120)}). Expected an object with "labels", as the app and Teachable Machine write it.`, { cause: error });
  }
  if (!isObject(meta)) throw new Error('metadata.json must be a JSON object with "labels"');
  const labels = meta.labels;
  if (!Array.isArray(labels) || labels.length === 0 || labels.length > 10_000 || !labels.every((l) => typeof l === 'string')) throw new Error('metadata.json has no "labels" list of class names');
  const clean = labels.map((l, i) => (l.trim() ? l.slice(0, MAX_LABEL_LENGTH) : `Class ${i + 1}`));
  if ('transferStudio' in meta) {
    const range = rangeOf(meta);
    if (!range) throw new Error('metadata.json comes from Transfer Studio but has no valid transferStudio.input.range; expected e.g. [-1, 1].');
    return { labels: clean, inputRange: range, origin: 'transfer-studio', note: null };
  }
  return { labels: clean, inputRange: TEACHABLE_MACHINE_RANGE, origin: 'teachable-machine', note: 'Pixels are scaled like Teachable Machine (x / 127 - 1).' };
}
