// models.sha256: one `<sha256>  <id>/<file>` line per file under public/models/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The manifest's entries, in file order. */
export function readManifest(root) {
  return readFileSync(join(root, 'models.sha256'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [sum, file] = line.split(/\s+/);
      return { sum, file };
    });
}
