import type { PathedFile } from '../../platform/folder-walk';
import { importDataset } from './dataset-actions';

/** Where the bundled sample photos are served, relative to the page (our own origin). */
export const SAMPLE_URL = 'samples/clothing/';

/** `samples/clothing/index.json`: the sample's classes and their photos' file names. */
export interface SampleIndex {
  name: string;
  description: string;
  licence: string;
  source: string;
  classes: Record<string, string[]>;
}

/** Reads the sample's index; throws with the reason when this site does not serve it. */
export async function fetchSampleIndex(base = SAMPLE_URL): Promise<SampleIndex> {
  const response = await fetch(`${base}index.json`);
  if (!response.ok) throw new Error(`The sample photos are not on this site (${response.status} for ${base}index.json).`);
  return (await response.json()) as SampleIndex;
}

/** The sample's photos as a dropped folder would give them: "clothing/<class>/<file>". */
export async function fetchSampleFiles(index: SampleIndex, base = SAMPLE_URL, onFile?: () => void): Promise<PathedFile[]> {
  const wanted = Object.entries(index.classes).flatMap(([cls, names]) => names.map((name) => ({ cls, name })));
  return Promise.all(
    wanted.map(async ({ cls, name }) => {
      const response = await fetch(`${base}${encodeURIComponent(cls)}/${encodeURIComponent(name)}`);
      if (!response.ok) throw new Error(`Sample photo ${cls}/${name} is missing (${response.status}).`);
      const blob = await response.blob();
      onFile?.();
      return { file: new File([blob], name, { type: blob.type || 'image/jpeg' }), path: `clothing/${cls}/${name}` };
    }),
  );
}

/** Loads the sample photos into the project as classes, through the same import as a dropped folder. */
export async function loadSampleProject(): Promise<void> {
  const index = await fetchSampleIndex();
  await importDataset(await fetchSampleFiles(index));
}
