/** Quotes a CSV field when it needs it (RFC 4180). */
export function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Builds the predictions CSV: header `file,label,confidence`, one row per photo. */
export function predictionsCsv(rows: readonly { file: string; label: string; confidence: number | null }[]): string {
  const lines = ['file,label,confidence'];
  for (const r of rows) lines.push([csvField(r.file), csvField(r.label), r.confidence === null ? '' : r.confidence.toFixed(6)].join(','));
  return `${lines.join('\n')}\n`;
}
