import { filesFromDataTransfer, filesFromInput } from '../../platform/folder-walk';
import { StepHeader } from '../../ui/StepHeader';
import { describeError } from '../../lib/errors';
import { useProjectStore } from '../../store/project-store';
import { DropZone } from '../../ui/DropZone';
import { FilePicker } from '../../ui/FilePicker';
import { ProgressBar } from '../../ui/ProgressBar';
import { ClassCard } from './ClassCard';
import { addClass, importDataset, newProject } from './dataset-actions';
import { SampleProject } from './SampleProject';
import { SaveState } from './SaveState';
import { SkippedList } from './SkippedList';

const plural = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** Step 1: get labelled photos in. */
export function DataStep() {
  const classes = useProjectStore((s) => s.classes);
  const importing = useProjectStore((s) => s.importing);
  const storageError = useProjectStore((s) => s.storageError);
  const duplicates = useProjectStore((s) => s.duplicates);
  const total = useProjectStore((s) => s.images.length);
  const crossClass = duplicates.filter((d) => d.crossClass);
  return (
    <section className="panel step" aria-labelledby="data-title">
      <StepHeader num={1} title="Data" id="data-title">
        <p className="hint">
          {classes.length ? `${plural(classes.length, 'class', 'classes')} · ${plural(total, 'photo', 'photos')} · ` : 'Add photos, one class per folder.'}
          {classes.length > 0 && <SaveState />}
        </p>
      </StepHeader>
      <DropZone label="Drop a dataset folder here" testId="dataset-drop" onDrop={(data) => void filesFromDataTransfer(data).then(importDataset)}>
        <p className="drop-zone__title">Drop a folder whose subfolders are your classes</p>
        <p className="hint">…or several class folders at once. Nothing leaves your computer.</p>
        <div className="actions">
          <FilePicker label="Choose dataset folder" folder testId="dataset-input" onFiles={(l) => void importDataset(filesFromInput(l))} />
          <button type="button" className="button button--ghost" data-testid="add-class" onClick={() => void addClass()}>
            Add a class
          </button>
        </div>
      </DropZone>
      {classes.length === 0 && !importing && <SampleProject />}
      {importing && <ProgressBar label="Importing photos" done={importing.done} total={importing.total} testId="import-progress" />}
      {storageError && (
        <p className="error" role="alert">
          {describeError(storageError)}
        </p>
      )}
      <SkippedList />
      {crossClass.length > 0 && (
        <div className="notice" role="status" data-testid="duplicates">
          {crossClass.length} photo{crossClass.length === 1 ? ' is' : 's are'} in more than one class, which confuses training:{' '}
          {crossClass
            .slice(0, 3)
            .map((d) => d.paths.join(' = '))
            .join('; ')}
          {crossClass.length > 3 ? '…' : ''}
        </div>
      )}
      <div className="class-grid">
        {classes.map((c) => (
          <ClassCard key={c.id} info={c} />
        ))}
      </div>
      {classes.length > 0 && (
        <div className="actions actions--end">
          <button
            type="button"
            className="button button--ghost button--danger"
            onClick={() => {
              if (window.confirm('Start a new project? This deletes every class, photo and trained model stored in this browser.')) void newProject();
            }}
          >
            New project
          </button>
        </div>
      )}
    </section>
  );
}
