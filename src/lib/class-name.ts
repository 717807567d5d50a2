/** Control characters (newline, tab, carriage return, C1 controls) and the Unicode line/paragraph separators. */
const LINE_BREAKING = /[\p{Cc}\p{Zl}\p{Zp}]/gu;

/**
 * A class name as the app stores and exports it: Unicode NFC (macOS folder names arrive
 * decomposed), control characters and line breaks replaced by a space, runs of whitespace
 * collapsed to one space, trimmed. So a name is always one line of labels.txt, and `cat`,
 * `cat ` and `cat\n` are the same class. May return '' (the caller refuses blank names).
 */
export function normalizeClassName(name: string): string {
  return name.normalize('NFC').replace(LINE_BREAKING, ' ').replace(/\s+/gu, ' ').trim();
}
