/** First characters that make Excel, LibreOffice or Google Sheets read a cell as a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. A text that starts
 * like a formula (`=`, `+`, `-`, `@`, tab, carriage return) gets a leading `'` inside the quotes,
 * as OWASP advises, so a spreadsheet shows it as text instead of running it.
 */
export function csvField(value: string): string {
  if (FORMULA_START.test(value)) return `"'${value.replace(/"/g, '""')}"`;
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Builds the predictions CSV: header `file,label,confidence`, one row per photo. */
export function predictionsCsv(rows: readonly { file: string; label: string; confidence: number | null }[]): string {
  const lines = ['file,label,confidence'];
  for (const r of rows) lines.push([csvField(r.file), csvField(r.label), r.confidence === null ? '' : r.confidence.toFixed(6)].join(','));
  return `${lines.join('\n')}\n`;
}
