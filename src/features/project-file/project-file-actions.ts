import { selectBackbone } from '../../engine/connection';
import { isBackboneId } from '../../ml/backbones/catalog';
import { useProjectStore } from '../../store/project-store';
import { INITIAL_TRAINING_STATE, useTrainingStore } from '../../store/training-store';
import { loadProject } from '../dataset/dataset-actions';
import * as repo from '../dataset/project-repo';
import { restoreModel } from '../training/train-actions';
import { PROJECT_LIMITS } from './project-format';
import { downloadProject } from './project-export';
import { readProjectFile } from './project-read';
import { useProjectFileStore } from './project-file-store';

const set = useProjectFileStore.setState;

/** Downloads the whole project as one .zip. */
export async function saveProjectFile(): Promise<void> {
  set({ busy: 'Preparing the project file…', error: null, notice: null });
  try {
    await downloadProject((line) => set({ busy: line }));
    set({ busy: null, notice: 'Project file downloaded.' });
  } catch (error) {
    set({ busy: null, error: `Could not save the project: ${(error as Error).message}` });
  }
}

/**
 * Opens a project file: checks all of it first, then (if `confirm` agrees) replaces the stored
 * project and reloads classes, photos, embeddings, settings and the trained model.
 */
export async function openProjectFile(file: File, confirm: (question: string) => boolean): Promise<void> {
  set({ busy: `Reading ${file.name}…`, error: null, notice: null });
  try {
    if (file.size > PROJECT_LIMITS.fileBytes) throw new Error(`${file.name} is ${file.size} bytes; the app opens project files up to ${PROJECT_LIMITS.fileBytes} bytes.`);
    const read = readProjectFile(new Uint8Array(await file.arrayBuffer()));
    const { classes, images } = useProjectStore.getState();
    const question = `Open ${file.name}? It replaces the current project (${classes.length} classes, ${images.length} photos and any trained model) stored in this browser.`;
    if ((classes.length > 0 || useTrainingStore.getState().model) && !confirm(question)) {
      set({ busy: null });
      return;
    }
    set({ busy: 'Writing the project…' });
    useTrainingStore.setState({ ...INITIAL_TRAINING_STATE, settings: read.settings });
    useProjectStore.setState({ skipped: [], duplicates: [], storageError: null });
    await repo.replaceProject(read.contents);
    await loadProject();
    await restoreModel();
    const backbone = read.model?.backboneId;
    if (backbone && isBackboneId(backbone)) await selectBackbone(backbone);
    const embedded = [...read.contents.embeddings.keys()].join(', ') || 'none';
    set({ busy: null, notice: `Opened ${file.name}: ${read.contents.classes.length} classes, ${read.contents.images.length} photos, embeddings for ${embedded}${read.model ? ', and the trained model' : ''}.` });
  } catch (error) {
    set({ busy: null, error: `Could not open this project file: ${(error as Error).message}` });
  }
}
